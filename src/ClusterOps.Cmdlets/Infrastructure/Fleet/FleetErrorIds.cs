namespace ClusterOps.Cmdlets.Infrastructure.Fleet;

/// <summary>The error ids of -Context selection and context piping (FullyQualifiedErrorId is "&lt;id&gt;,&lt;cmdlet class&gt;").</summary>
public static class FleetErrorIds
{
    /// <summary>-Confirm:$false with several contexts on a ConfirmImpact High cmdlet, without -Force.</summary>
    public const string ChangeNeedsForce = "FleetChangeNeedsForce";

    /// <summary>A piped kubeconfig context was all that filled a required parameter (-Name, -InputObject).</summary>
    public const string PipedContextGivesNoName = "PipedContextGivesNoName";

    /// <summary>A piped object matched no pipeline parameter (PowerShell's own id for the same refusal).</summary>
    public const string InputObjectNotBound = "InputObjectNotBound";
}
