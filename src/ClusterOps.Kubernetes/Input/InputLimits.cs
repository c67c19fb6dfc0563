namespace ClusterOps.Kubernetes.Input;

/// <summary>
/// The bounds every file ClusterOps reads from the user (kubeconfigs, -Path manifests, credential files) is held to.
/// One place, so that no loader can forget one: a hostile or broken file must end in a clear error, never in a
/// crashed or exhausted session (issue 13 §3).
/// </summary>
public static class InputLimits
{
    /// <summary>
    /// Largest YAML/JSON file read (16 MiB). Real kubeconfigs are kilobytes and policy manifests rarely reach
    /// a megabyte; 16 MiB leaves room for generated files while keeping the text (UTF-16 in memory) and its node
    /// tree well under the memory of a PowerShell session.
    /// </summary>
    public const long MaxYamlFileBytes = 16L * 1024 * 1024;

    /// <summary>
    /// Deepest nesting of mappings and sequences (1,000), counted after alias expansion. Far beyond any real
    /// document, and low enough that no later walk of the tree (System.Text.Json included) can exhaust a stack.
    /// </summary>
    public const int MaxDepth = 1000;

    /// <summary>
    /// Most YAML nodes a file may expand to, each use of an alias counting the whole node it names (1,000,000, the
    /// bound kubectl's YAML decoder applies), so a few hundred bytes of "billion laughs" cannot build gigabytes.
    /// </summary>
    public const long MaxNodes = 1_000_000;

    /// <summary>
    /// Largest credential file (token, client certificate or key, CA bundle, service-account namespace): 1 MiB.
    /// A service-account token is about 1 KiB and a full system CA bundle about 250 KiB; a bigger file is not a
    /// credential, and a device such as /dev/zero must not be read until memory runs out.
    /// </summary>
    public const long MaxCredentialFileBytes = 1024L * 1024;

    internal static string Bytes(long value) => value >= 1024 * 1024 && value % (1024 * 1024) == 0
        ? $"{value / (1024 * 1024)} MiB ({value:N0} bytes)"
        : $"{value:N0} bytes";
}

/// <summary>Which bound an input broke.</summary>
public enum InputLimit
{
    /// <summary>The file is larger than allowed.</summary>
    FileSize,

    /// <summary>The path is a pipe, device, socket or directory, not a regular file.</summary>
    NotRegularFile,

    /// <summary>Mappings and sequences nest deeper than <see cref="InputLimits.MaxDepth"/>.</summary>
    Depth,

    /// <summary>The document expands to more than <see cref="InputLimits.MaxNodes"/> nodes.</summary>
    Nodes,

    /// <summary>An alias names a node that contains it (an endless structure).</summary>
    AliasCycle,
}

/// <summary>
/// An input refused because it breaks one of the <see cref="InputLimits"/>. The message names the file, the bound
/// and what is allowed; loaders wrap it in their own error type (KubeConfigException, OperationException) with it
/// as the inner exception.
/// </summary>
public sealed class InputLimitException : Exception
{
    public InputLimitException(string message, string source, InputLimit limit, int? line = null)
        : base(message)
    {
        InputName = source;
        Limit = limit;
        Line = line;
    }

    /// <summary>The file (or input name) that was refused.</summary>
    public string InputName { get; }

    public InputLimit Limit { get; }

    /// <summary>1-based line where the bound was crossed, when known.</summary>
    public int? Line { get; }
}
