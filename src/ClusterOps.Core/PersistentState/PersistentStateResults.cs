namespace ClusterOps.Core.PersistentState;

/// <summary>What Initialize-PersistentState did for one directory.</summary>
public enum PersistentStateAction
{
    /// <summary>No volume at the path: nothing changed, the service runs on the image's directories.</summary>
    NoPersistentStorage,
    /// <summary>The image's directory was copied into the volume by this run (and linked unless declined).</summary>
    Copied,
    /// <summary>The volume already held the state; the directory was moved aside and replaced by a link.</summary>
    Linked,
    /// <summary>A copy on the volume that no marker recorded (start-persistent.sh's) was trusted as is, recorded, and linked.</summary>
    Adopted,
    /// <summary>The directory already is a link into the volume: nothing to do.</summary>
    AlreadyLinked,
    /// <summary>Neither the directory nor its -initial copy exists in the image: nothing to copy.</summary>
    SourceMissing,
    /// <summary>Something unexpected is in the way (a foreign link, a file, a lost copy): left untouched, error written.</summary>
    Conflict,
}

/// <summary>One record per directory from Initialize-PersistentState -PassThru.</summary>
public sealed class PersistentStateResult
{
    public required string Directory { get; init; }
    public required string PersistentPath { get; init; }
    public required PersistentStateAction Action { get; init; }
    /// <summary>Files and links copied by this run (0 when nothing was copied).</summary>
    public long Files { get; init; }
    /// <summary>Bytes of file content copied by this run.</summary>
    public long Bytes { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>Where the image's directory was moved by this run, if it was.</summary>
    public string? InitialPath { get; init; }
    public required string Volume { get; init; }
    public string? Message { get; init; }
}

/// <summary>How one directory stands, as Test-PersistentState sees it.</summary>
public enum PersistentStateCondition
{
    /// <summary>A link into the volume, and the volume's copy is complete.</summary>
    Linked,
    /// <summary>Still a real directory (or a link elsewhere): the service would write into the container layer.</summary>
    NotLinked,
    /// <summary>Nothing exists at the directory's path.</summary>
    Missing,
    /// <summary>A link whose target does not exist.</summary>
    BrokenLink,
    /// <summary>The volume holds a copy that no completed run recorded (interrupted first run): not to be trusted.</summary>
    IncompleteCopy,
    /// <summary>No volume at the path.</summary>
    NoPersistentStorage,
}

/// <summary>One record per directory from Test-PersistentState.</summary>
public sealed class PersistentStateStatus
{
    public required string Directory { get; init; }
    public required string PersistentPath { get; init; }
    public required PersistentStateCondition State { get; init; }
    /// <summary>True when the completion marker records a finished copy of this directory.</summary>
    public bool Recorded { get; init; }
    public DateTimeOffset? CopiedAt { get; init; }
    public string? LinkTarget { get; init; }
    public required string Volume { get; init; }
    public string? Detail { get; init; }
}

public enum ServiceAccountMountAction
{
    /// <summary>The credentials directory exists: nothing changed.</summary>
    AlreadyPresent,
    /// <summary>The path was created as a link to the source.</summary>
    Linked,
}

/// <summary>What Repair-ServiceAccountMount found or did.</summary>
public sealed class ServiceAccountMountResult
{
    public required string Path { get; init; }
    public required string Source { get; init; }
    public required ServiceAccountMountAction Action { get; init; }
    public string? LinkTarget { get; init; }
}
