using System.Text.Json.Nodes;

namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// Where a start finds the definitions of the objects it must create: the restore record an Undeploy stop wrote
/// (<see cref="RestoreRecord"/>), or the vendor's kit directory (<see cref="ClusterKit"/>). Only names are public;
/// the definitions themselves can hold Secret data and stay inside Core.
/// </summary>
public abstract class DefinitionSource
{
    private protected DefinitionSource()
    {
    }

    /// <summary>What the source is, for messages and -Confirm prompts ("the kit in '/srv/tml'"); never its content.</summary>
    public abstract string Description { get; }

    public abstract bool Contains(string kind, string name);

    /// <summary>The definition to create, or null. For a Secret it holds the data: never log or print it.</summary>
    internal abstract JsonObject? ManifestOf(string kind, string name);

    /// <summary>Where the definition came from inside the source (a kit file name), or null.</summary>
    internal virtual string? OriginOf(string kind, string name) => null;
}
