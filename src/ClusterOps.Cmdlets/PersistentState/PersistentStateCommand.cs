using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.PersistentState;

namespace ClusterOps.Cmdlets.PersistentState;

/// <summary>The volume and the directory list (explicit or a preset) every persistent-state cmdlet takes.</summary>
public abstract class PersistentStateCommand : ClusterOpsCmdlet
{
    /// <summary>Where the persistent volume is mounted, for example /cfy-persist; a relative path is resolved against
    /// the PowerShell location.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = PersistentStateParameterSets.Directory)]
    [ValidateNotNullOrEmpty]
    public string[] Directory { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = PersistentStateParameterSets.Preset)]
    public PersistentStatePreset Preset { get; set; }

    protected IReadOnlyList<string> Directories() => PersistentStateParameterSets.DirectoriesFor(ParameterSetName, Directory, Preset);
}
