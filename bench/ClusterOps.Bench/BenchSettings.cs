namespace ClusterOps.Bench;

/// <summary>How much of each scenario to run. --quick keeps every scenario but fewer repetitions and one list size.</summary>
public sealed record BenchSettings(bool Quick, IReadOnlySet<string> Only, string? ModuleDirectory)
{
    public const int Namespaces = 50;

    /// <summary>List sizes of scenarios 1 and 2. Quick still compares 10k with 50k memory (the target is about growth).</summary>
    public IReadOnlyList<int> ListSizes => [10_000, 50_000];

    /// <summary>Timed repetitions per list measurement (after one untimed warm-up of ours and raw).</summary>
    public int ListReps(int size) => Quick ? 3 : size >= 50_000 ? 5 : 7;

    public int StartReps => Quick ? 1 : 3;
    public int ConnectionChildren => Quick ? 1 : 3;
    public int ModuleLoadChildren => Quick ? 3 : 7;
    public int WatchChanges => 1000;

    public bool Runs(string scenario) => Only.Count == 0 || Only.Contains(scenario);
}
