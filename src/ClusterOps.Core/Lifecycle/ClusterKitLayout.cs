namespace ClusterOps.Core.Lifecycle;

/// <summary>How the vendor kit's start script turns one kit file (or directory) into one object.</summary>
public enum KitItemShape
{
    /// <summary>A YAML manifest holding exactly this object (<c>kubectl create -f cass-svc-0.yaml</c>).</summary>
    Manifest,
    /// <summary>A generic Secret with one key, the file's name (<c>kubectl create secret generic x --from-file=f</c>).</summary>
    SecretFromFile,
    /// <summary>A generic Secret with one key per regular file in a directory (<c>--from-file=dir/</c>).</summary>
    SecretFromDirectory,
}

/// <summary>One object a kit's start script creates, and the kit path (relative to the kit directory) it is made from.</summary>
public sealed record KitItem(string Kind, string Name, KitItemShape Shape, string Path)
{
    public string Object => RecordedObject.KeyOf(Kind, Name);
}

/// <summary>
/// Where a vendor's deployment kit keeps the definitions its start script applies: the files a start from the kit
/// (<c>Start-TmlCluster -DefinitionPath</c>) reads instead of a restore record. Part of a <see cref="ClusterProfile"/>;
/// the lifecycle machinery only knows items and paths.
/// </summary>
public sealed class ClusterKitLayout
{
    private readonly Dictionary<string, KitItem> _byObject;

    public ClusterKitLayout(string startScript, IReadOnlyList<KitItem> items, IReadOnlyList<string> nextZoneFiles)
    {
        StartScript = startScript;
        Items = items;
        NextZoneFiles = nextZoneFiles;
        _byObject = items.ToDictionary(i => i.Object, StringComparer.Ordinal);
    }

    /// <summary>The kit's start script ("start-tml-cluster.sh"), named in messages so users recognise the directory.</summary>
    public string StartScript { get; }

    /// <summary>Every object the start script creates, each once, in the order the script creates them.</summary>
    public IReadOnlyList<KitItem> Items { get; }

    /// <summary>
    /// Files that exist only in a kit generated for more zones than asked (nosql-pod-1.yaml for a one-zone start):
    /// starting part of a multi-zone cluster is refused.
    /// </summary>
    public IReadOnlyList<string> NextZoneFiles { get; }

    public KitItem? Find(string kind, string name) => _byObject.GetValueOrDefault(RecordedObject.KeyOf(kind, name));
}
