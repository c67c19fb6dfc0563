namespace ClusterOps.Core.PersistentState;

/// <param name="Path">Where the persistent volume is mounted (absolute).</param>
/// <param name="Directories">The image's state directories (absolute, not nested).</param>
/// <param name="PassThru">Write one <see cref="PersistentStateResult"/> per directory to the pipeline.</param>
/// <param name="AdoptExisting">Trust a copy already on the volume without a marker entry (a volume filled by
/// start-persistent.sh) instead of moving it aside and copying the image's directory.</param>
public sealed record InitializePersistentStateRequest(string Path, IReadOnlyList<string> Directories, bool PassThru = false, bool AdoptExisting = false);

public sealed record TestPersistentStateRequest(string Path, IReadOnlyList<string> Directories);

public sealed record RepairServiceAccountMountRequest(
    string Path = ServiceAccountMountRepairer.DefaultPath,
    string Source = ServiceAccountMountRepairer.DefaultSource);
