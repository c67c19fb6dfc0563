using System.Runtime.InteropServices;

namespace ClusterOps.Core.PersistentState;

/// <summary>Which OS we run on; injectable so the non-Linux refusal is testable on Linux CI.</summary>
public interface IPlatformProbe
{
    bool IsLinux { get; }
    string Description { get; }
}

public sealed class RuntimePlatformProbe : IPlatformProbe
{
    public static RuntimePlatformProbe Instance { get; } = new();

    public bool IsLinux => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
    public string Description => RuntimeInformation.OSDescription;
}
