using System.Text.Json.Nodes;

namespace ClusterOps.Tests.Backup;

/// <summary>API objects as the 3scale operator and the API server would return them, for the pure rules.
/// Templates use @placeholders@ so JSON braces need no escaping.</summary>
internal static class Objects
{
    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static string Fill(string template, params (string Key, string Value)[] values)
    {
        foreach (var (key, value) in values)
            template = template.Replace("@" + key + "@", value, StringComparison.Ordinal);
        return template;
    }

    public const string ExternalSpec =
        """{"wildcardDomain":"apps.example.com","externalComponents":{"system":{"database":true,"redis":true},"backend":{"redis":true}}}""";

    public static JsonObject ApiManager(string name = "example-apimanager", string spec = ExternalSpec) =>
        Parse(Fill("""{"apiVersion":"apps.3scale.net/v1alpha1","kind":"APIManager","metadata":{"name":"@name@","namespace":"3scale","uid":"am-uid"},"spec":@spec@}""",
            ("name", name), ("spec", spec)));

    public static JsonObject Claim(string name, string phase = "Bound", string? annotations = null, string accessModes = "\"ReadWriteMany\"", string size = "10Gi") =>
        Parse(Fill("""
        {"apiVersion":"v1","kind":"PersistentVolumeClaim",
         "metadata":{"name":"@name@","namespace":"3scale","annotations":@annotations@},
         "spec":{"accessModes":[@modes@],"resources":{"requests":{"storage":"@size@"}}},
         "status":{"phase":"@phase@","capacity":@capacity@}}
        """, ("name", name), ("annotations", annotations ?? "{}"), ("modes", accessModes), ("size", size), ("phase", phase),
            ("capacity", phase == "Bound" ? "{\"storage\":\"" + size + "\"}" : "{}")));

    public const string BackupAnnotations =
        """{"apiManagerName":"example-apimanager","apiManagerUID":"am-uid","apiManagerBackupName":"nightly","apiManagerBackupUID":"b-uid"}""";

    public static JsonObject Backup(string name = "nightly", string uid = "b-uid", string status = "{}") =>
        Parse(Fill("""
        {"apiVersion":"apps.3scale.net/v1alpha1","kind":"APIManagerBackup",
         "metadata":{"name":"@name@","namespace":"3scale","uid":"@uid@"},
         "spec":{"backupDestination":{"persistentVolumeClaim":{"resources":{"requests":"10Gi"}}}},
         "status":@status@}
        """, ("name", name), ("uid", uid), ("status", status)));

    public static JsonObject Restore(string name = "restore-1", string uid = "r-uid", string status = "{}") =>
        Parse(Fill("""
        {"apiVersion":"apps.3scale.net/v1alpha1","kind":"APIManagerRestore",
         "metadata":{"name":"@name@","namespace":"3scale","uid":"@uid@"},
         "spec":{"restoreSource":{"persistentVolumeClaim":{"claimSource":{"claimName":"nightly"}}}},
         "status":@status@}
        """, ("name", name), ("uid", uid), ("status", status)));

    public static JsonObject Job(string name, string status, string uid = "job-uid") =>
        Parse(Fill("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"@name@","namespace":"3scale","uid":"@uid@"},"status":@status@}""",
            ("name", name), ("uid", uid), ("status", status)));

    public static JsonObject Pod(string name, string jobName, string phase, string containerStatuses = "[]", string conditions = "[]", string created = "2026-11-21T10:00:00Z") =>
        Parse(Fill("""
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"@name@","namespace":"3scale","creationTimestamp":"@created@","labels":{"job-name":"@job@"}},
         "status":{"phase":"@phase@","conditions":@conditions@,"containerStatuses":@containers@}}
        """, ("name", name), ("created", created), ("job", jobName), ("phase", phase), ("conditions", conditions), ("containers", containerStatuses)));

    public static JsonObject StorageClass(string name, bool isDefault = false) =>
        Parse(Fill("""{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"@n@","annotations":@a@},"provisioner":"example.com/csi"}""",
            ("n", name), ("a", isDefault ? """{"storageclass.kubernetes.io/is-default-class":"true"}""" : "{}")));

    /// <param name="storageClass">Defaults to "standard", the default class of the preflight tests' cluster.</param>
    public static JsonObject Volume(string name, string capacity = "10Gi", string phase = "Available", string? claimRef = null,
        string? storageClass = "standard", string accessModes = "\"ReadWriteOnce\"", string volumeMode = "Filesystem") =>
        Parse(Fill("""
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"@n@"},
         "spec":{"capacity":{"storage":"@cap@"},"accessModes":[@modes@],"volumeMode":"@vm@"@sc@@ref@},"status":{"phase":"@phase@"}}
        """, ("n", name), ("cap", capacity), ("phase", phase), ("modes", accessModes), ("vm", volumeMode),
            ("sc", storageClass is null ? "" : ",\"storageClassName\":\"" + storageClass + "\""),
            ("ref", claimRef is null ? "" : ",\"claimRef\":" + claimRef)));

    public static HashSet<string> AllBackupSecrets() => new(ClusterOps.Core.Backup.ThreescaleApi.SecretsBackedUp);
    public static HashSet<string> AllConfigMaps() => new(ClusterOps.Core.Backup.ThreescaleApi.ConfigMapsBackedUp);
}
