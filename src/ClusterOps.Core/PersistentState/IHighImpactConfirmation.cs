namespace ClusterOps.Core.PersistentState;

/// <summary>
/// Implemented by a caller that can confirm one change as ConfirmImpact High would, inside a cmdlet whose other
/// changes are Medium (PowerShell fixes ConfirmImpact per cmdlet): Initialize-PersistentState -ReplaceUnrecorded
/// moves data aside, which must prompt by default, while the everyday run in an entrypoint must not.
/// A context without it (a test's) is asked through ShouldProcess alone.
/// </summary>
public interface IHighImpactConfirmation
{
    bool ShouldProcessHighImpact(string target, string action);
}
