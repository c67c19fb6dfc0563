namespace ClusterOps.Core.Lifecycle;

public sealed record ClusterRequest(string Namespace, int Zones = 1);

public sealed record StopRequest(string Namespace, int Zones = 1, StopMode Mode = StopMode.ScaleToZero, TimeSpan? Timeout = null, bool PassThru = false)
{
    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromMinutes(5);
}

/// <summary>A start. <paramref name="DefinitionPath"/>: the vendor kit directory (resolved) to create absent objects from.</summary>
public sealed record StartRequest(string Namespace, int Zones = 1, TimeSpan? TimeoutPerComponent = null, bool Force = false, bool PassThru = false,
    string? DefinitionPath = null)
{
    public TimeSpan EffectiveTimeout => TimeoutPerComponent ?? TimeSpan.FromMinutes(10);
}

public sealed record RemoveRequest(string Namespace, int Zones = 1, TimeSpan? Timeout = null, bool PassThru = false)
{
    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromMinutes(5);
}
