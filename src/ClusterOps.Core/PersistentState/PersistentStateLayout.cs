using ClusterOps.Core.Common;

namespace ClusterOps.Core.PersistentState;

/// <summary>
/// A validated volume path and directory list, and where everything lives on the volume. Building one checks all
/// input before anything is touched, so bad input always fails with nothing changed.
/// </summary>
public sealed class PersistentStateLayout
{
    public const string MarkerName = ".clusterops-state.json";
    public const string StagingName = ".clusterops-staging";
    public const string SupersededName = ".clusterops-superseded";
    public const string InitialSuffix = "-initial";

    private PersistentStateLayout(string volume, IReadOnlyList<string> directories)
    {
        Volume = volume;
        Directories = directories;
    }

    public string Volume { get; }
    public IReadOnlyList<string> Directories { get; }
    public string MarkerPath => Volume + "/" + MarkerName;
    public string StagingRoot => Volume + "/" + StagingName;
    public string SupersededRoot => Volume + "/" + SupersededName;

    /// <summary>The directory mirrored under the volume, as start-persistent.sh lays it out (/cfy-persist/var/lib).</summary>
    public string PersistentPathOf(string directory) => Volume + directory;
    public string StagingPathOf(string directory) => StagingRoot + directory;
    public static string InitialPathOf(string directory) => directory + InitialSuffix;

    public static PersistentStateLayout Create(string path, IEnumerable<string> directories, IPersistentFileSystem fs, IPlatformProbe platform)
    {
        RequireLinux(platform);
        var volume = NormalizeAbsolute(path, PersistentStateErrors.PathNotAbsolute, "-Path");
        if (fs.GetTargetEntry(volume) is { Kind: not EntryKind.Directory })
            throw Invalid(PersistentStateErrors.PathIsFile, $"The volume path '{volume}' exists but is not a directory.", volume,
                "Pass the directory where the persistent volume is mounted.");

        var list = new List<string>();
        foreach (var directory in directories ?? [])
        {
            var normalized = NormalizeAbsolute(directory, PersistentStateErrors.DirectoryNotAbsolute, "-Directory");
            if (normalized == "/")
                throw Invalid(PersistentStateErrors.DirectoryIsRoot, "The root directory cannot be made persistent.", normalized);
            if (!list.Contains(normalized, StringComparer.Ordinal))
                list.Add(normalized);
        }
        if (list.Count == 0)
            throw Invalid(PersistentStateErrors.NoDirectory, "No directory to make persistent was given.", null,
                "Pass -Directory with at least one absolute path, or -Preset.");

        foreach (var a in list)
        {
            foreach (var b in list.Where(b => IsUnder(b, a)))
                throw Invalid(PersistentStateErrors.DirectoriesOverlap,
                    $"The directories '{a}' and '{b}' overlap: '{b}' would be copied twice and linked inside a link.", b,
                    $"Keep only '{a}' (it includes '{b}').");
        }

        var volumes = new List<string> { volume };
        if (ResolvedVolume(volume) is { } resolved && resolved != volume)
            volumes.Add(resolved);
        foreach (var d in list)
        {
            foreach (var v in volumes)
            {
                if (d == v || IsUnder(d, v))
                    throw Invalid(PersistentStateErrors.DirectoryInsideVolume,
                        $"The directory '{d}' is inside the volume '{v}': it cannot be copied into itself.", d);
                if (IsUnder(v, d))
                    throw Invalid(PersistentStateErrors.VolumeInsideDirectory,
                        $"The volume '{v}' is inside the directory '{d}': linking '{d}' would hide the volume.", d,
                        "Mount the volume outside every directory it keeps.");
            }
        }
        return new PersistentStateLayout(volume, list);
    }

    /// <summary>The injected filesystem, or the real one once the platform is known to be Linux.</summary>
    public static IPersistentFileSystem FileSystemFor(IPersistentFileSystem? injected, IPlatformProbe platform)
    {
        RequireLinux(platform);
        return injected ?? (OperatingSystem.IsLinux() ? LinuxFileSystem.Instance : throw Unsupported(platform));
    }

    public static void RequireLinux(IPlatformProbe platform)
    {
        if (!platform.IsLinux)
            throw Unsupported(platform);
    }

    private static OperationException Unsupported(IPlatformProbe platform) =>
        new(PersistentStateErrors.UnsupportedPlatform, FailureKind.NotImplemented,
            $"Persistent state bootstrap runs inside Linux containers only; this is {platform.Description}.", null);

    /// <summary>Absolute, with '.', '..', repeated and trailing slashes removed.</summary>
    public static string NormalizeAbsolute(string? path, string errorId, string parameter)
    {
        if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/'))
            throw Invalid(errorId, $"{parameter} '{path}' is not an absolute path.", path,
                "Pass an absolute path such as /var/lib: the entrypoint's working directory is not a reliable base.");
        var full = System.IO.Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    public static bool IsUnder(string path, string ancestor) =>
        path.Length > ancestor.Length && path.StartsWith(ancestor == "/" ? "/" : ancestor + "/", StringComparison.Ordinal);

    public static string ParentOf(string path)
    {
        var i = path.LastIndexOf('/');
        return i <= 0 ? "/" : path[..i];
    }

    /// <summary>/a/b/c → /a, /a/b (not "/" and not the path itself).</summary>
    public static IEnumerable<string> AncestorsOf(string path)
    {
        for (var i = path.IndexOf('/', 1); i > 0; i = path.IndexOf('/', i + 1))
            yield return path[..i];
    }

    private static string? ResolvedVolume(string volume)
    {
        try
        {
            return new DirectoryInfo(volume).ResolveLinkTarget(returnFinalTarget: true)?.FullName.TrimEnd('/');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static OperationException Invalid(string errorId, string message, object? target, string? advice = null) =>
        new(errorId, FailureKind.InvalidArgument, message, target) { RecommendedAction = advice };
}
