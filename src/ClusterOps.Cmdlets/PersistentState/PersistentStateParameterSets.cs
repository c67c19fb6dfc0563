using ClusterOps.Core.PersistentState;

namespace ClusterOps.Cmdlets.PersistentState;

/// <summary>Parameter sets shared by Initialize- and Test-PersistentState: an explicit list, or a named preset.</summary>
internal static class PersistentStateParameterSets
{
    public const string Directory = "Directory";
    public const string Preset = "Preset";

    public static IReadOnlyList<string> DirectoriesFor(string parameterSetName, string[] directories, PersistentStatePreset preset) =>
        parameterSetName == Preset ? PersistentStatePresets.DirectoriesOf(preset) : directories;
}
