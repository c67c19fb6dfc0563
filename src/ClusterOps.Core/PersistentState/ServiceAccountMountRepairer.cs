using ClusterOps.Core.Common;

namespace ClusterOps.Core.PersistentState;

/// <summary>
/// Repair-ServiceAccountMount: cm-container's setup-secret.sh. When an init system inside the container hides the
/// kubelet's service-account mount, link the standard path to a second mount of the same credentials. Only paths
/// are handled here; the credentials themselves are never read.
/// </summary>
public sealed class ServiceAccountMountRepairer(IPersistentFileSystem? fileSystem = null, IPlatformProbe? platform = null)
{
    public const string DefaultPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string DefaultSource = "/secret";

    private const UnixFileMode Public = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly IPersistentFileSystem? _fs = fileSystem;
    private readonly IPlatformProbe _platform = platform ?? RuntimePlatformProbe.Instance;

    public ServiceAccountMountResult? Repair(RepairServiceAccountMountRequest request, IOperationContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fs = PersistentStateLayout.FileSystemFor(_fs, _platform);
        var path = PersistentStateLayout.NormalizeAbsolute(request.Path, PersistentStateErrors.ServiceAccountPathNotAbsolute, "-Path");
        var source = PersistentStateLayout.NormalizeAbsolute(request.Source, PersistentStateErrors.ServiceAccountPathNotAbsolute, "-Source");

        var entry = fs.GetEntry(path);
        if (fs.GetTargetEntry(path) is { Kind: EntryKind.Directory })
            return Emit(context, path, source, ServiceAccountMountAction.AlreadyPresent, entry?.LinkTarget);
        if (entry is { Kind: EntryKind.File })
            throw Invalid(PersistentStateErrors.ServiceAccountPathIsFile, $"'{path}' is a file, not the service-account directory.", path);
        if (entry is not null)
            throw new OperationException(PersistentStateErrors.ServiceAccountPathBlocked, FailureKind.ResourceExists,
                entry.Kind == EntryKind.SymbolicLink
                    ? $"'{path}' is a link to '{entry.LinkTarget}', which does not exist; it was left as it is."
                    : $"'{path}' is a {entry.Kind}; it was left as it is.", path)
            { RecommendedAction = "Remove it if it is stale, then run Repair-ServiceAccountMount again." };
        if (fs.GetTargetEntry(source) is not { Kind: EntryKind.Directory })
            throw new OperationException(PersistentStateErrors.ServiceAccountSourceMissing, FailureKind.ObjectNotFound,
                $"The credentials source '{source}' is not a directory, so '{path}' cannot be linked to it.", source)
            { RecommendedAction = "Mount the service-account token a second time at the source path (a projected or secret volume)." };

        if (!context.ShouldProcess(path, $"Create a link to '{source}'"))
            return null;
        var missing = new Stack<string>();
        for (var p = PersistentStateLayout.ParentOf(path); p != "/" && fs.GetTargetEntry(p) is null; p = PersistentStateLayout.ParentOf(p))
            missing.Push(p);
        while (missing.TryPop(out var p))
            fs.CreateDirectory(p, Public);
        fs.CreateSymbolicLink(path, source);
        context.WriteVerbose($"'{path}' now links to '{source}'.");
        return Emit(context, path, source, ServiceAccountMountAction.Linked, source);
    }

    private static ServiceAccountMountResult Emit(IOperationContext context, string path, string source, ServiceAccountMountAction action, string? linkTarget)
    {
        var result = new ServiceAccountMountResult { Path = path, Source = source, Action = action, LinkTarget = linkTarget };
        context.WriteObject(result);
        return result;
    }

    private static OperationException Invalid(string errorId, string message, object target) =>
        new(errorId, FailureKind.InvalidArgument, message, target);
}
