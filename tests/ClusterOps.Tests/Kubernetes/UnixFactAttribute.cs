namespace ClusterOps.Tests.Kubernetes;

/// <summary>A fact that needs a POSIX shell (exec plugin scripts); reported as skipped on Windows, never as passed.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
            Skip = "Uses /bin/sh scripts as exec credential plugins.";
    }
}

/// <summary>The theory counterpart of <see cref="UnixFactAttribute"/>.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
            Skip = "Uses /bin/sh scripts as exec credential plugins.";
    }
}
