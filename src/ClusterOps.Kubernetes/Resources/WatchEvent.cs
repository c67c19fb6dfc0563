namespace ClusterOps.Kubernetes.Resources;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    /// <summary>Progress marker: only <see cref="WatchEvent{T}.ResourceVersion"/> is meaningful.</summary>
    Bookmark,
    /// <summary>
    /// The watch's resourceVersion expired (410 Gone) and the client re-listed. Object is null. Events that
    /// happened meanwhile were not seen: the Added events that follow (one per object that exists now) are the
    /// complete current state, and consumers keeping a cache should replace it with them.
    /// </summary>
    Reset,
}

/// <summary>One change seen by a watch.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, string? ResourceVersion) where T : class;
