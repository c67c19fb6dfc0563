namespace ClusterOps.Tests.Infrastructure;

/// <summary>Locates the repository from the test binaries, so tests can read the manifest, format file and help.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClusterOps.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"ClusterOps.sln not found above {AppContext.BaseDirectory}");
    });

    public static string Root => RootPath.Value;
    public static string Manifest => Path.Combine(Root, "module", "ClusterOps.psd1");
    public static string FormatFile => Path.Combine(Root, "module", "ClusterOps.Format.ps1xml");
    public static string HelpFolder => Path.Combine(Root, "docs", "help");
}
