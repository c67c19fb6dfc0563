using System.Text.Json.Nodes;
using ClusterOps.Core.Backup;
using ClusterOps.Core.Common;

namespace ClusterOps.Tests.Backup;

public sealed class BackupPreflightTests
{
    private static BackupRequest Request(string name = "nightly", string? size = "10Gi", string? storageClass = null,
        string? volumeName = null, string? apiManagerName = null, bool force = false) =>
        new(name, "3scale", apiManagerName, size, storageClass, volumeName, force);

    /// <summary>A cluster with a default class "standard", a class "gp3" and the free 10Gi volume "pv-backup-01".</summary>
    private static readonly BackupStorageView DefaultStorage = new(
        new[] { Objects.StorageClass("standard", isDefault: true), Objects.StorageClass("gp3") }, Objects.Volume("pv-backup-01"));

    private static BackupClusterState State(IReadOnlyList<JsonObject>? apiManagers = null, JsonObject? existingBackup = null,
        JsonObject? existingClaim = null, JsonObject? systemStorage = null, bool withSystemStorage = true,
        IEnumerable<string>? secrets = null, IEnumerable<string>? configMaps = null, BackupStorageView? storage = null, bool storageReadable = true) =>
        new(apiManagers ?? new[] { Objects.ApiManager() }, existingBackup, existingClaim,
            systemStorage ?? (withSystemStorage ? Objects.Claim("system-storage", size: "1Gi") : null),
            new HashSet<string>(secrets ?? Objects.AllBackupSecrets()), new HashSet<string>(configMaps ?? Objects.AllConfigMaps()),
            storageReadable ? storage ?? DefaultStorage : null);

    private static BackupPreflightException Refused(BackupRequest request, BackupClusterState state, string errorId)
    {
        var ex = Assert.Throws<BackupPreflightException>(() => BackupPreflight.Evaluate(request, state));
        Assert.Equal(errorId, ex.ErrorId);
        return ex;
    }

    [Fact]
    public void A_valid_request_yields_the_resource_the_operator_expects()
    {
        var plan = BackupPreflight.Evaluate(Request(storageClass: "gp3"), State());
        Assert.Equal("example-apimanager", plan.ApiManagerName);
        Assert.Empty(plan.Warnings);
        Assert.Equal("apps.3scale.net/v1alpha1", plan.Resource.Str("apiVersion"));
        Assert.Equal("APIManagerBackup", plan.Resource.Str("kind"));
        Assert.Equal("nightly", plan.Resource.Str("metadata", "name"));
        var pvc = plan.Resource.At("spec", "backupDestination", "persistentVolumeClaim")!;
        Assert.Equal("10Gi", pvc.Str("resources", "requests"));
        Assert.Equal("gp3", pvc.Str("storageClass"));
        Assert.Null(pvc.At("volumeName"));
    }

    [Fact]
    public void ApiManagerName_is_checked_but_never_written()
    {
        var plan = BackupPreflight.Evaluate(Request(apiManagerName: "example-apimanager"), State());
        Assert.DoesNotContain("apiManagerName", plan.Resource.ToJsonString());
    }

    [Fact]
    public void VolumeName_form_writes_the_volume_and_the_size()
    {
        var plan = BackupPreflight.Evaluate(Request(volumeName: "pv-backup-01"), State());
        var pvc = plan.Resource.At("spec", "backupDestination", "persistentVolumeClaim")!;
        Assert.Equal("pv-backup-01", pvc.Str("volumeName"));
        Assert.Equal("10Gi", pvc.Str("resources", "requests"));
        Assert.Null(pvc.At("storageClass"));
    }

    [Theory]
    [InlineData("Nightly")]
    [InlineData("nightly.2026")] // valid CR name, but the claim is mounted as a pod volume of that name
    [InlineData("-x")]
    public void Refuses_a_name_the_operator_Jobs_cannot_mount(string name) =>
        Refused(Request(name: name), State(), BackupErrorIds.InvalidBackupName);

    [Fact]
    public void Refuses_a_64_character_name() =>
        Refused(Request(name: new string('b', 64)), State(), BackupErrorIds.InvalidBackupName);

    [Theory]
    [InlineData("10GB")]
    [InlineData("ten")]
    [InlineData("10 Gi")]
    [InlineData("0")]
    [InlineData("-1Gi")]
    public void Refuses_a_size_that_is_not_a_positive_quantity(string size) =>
        Refused(Request(size: size), State(), BackupErrorIds.InvalidStorageSize);

    // Quantity.Value() of "10" is 10 bytes: accepted by the API server, useless as a backup volume.
    [Theory]
    [InlineData("10")]
    [InlineData("99Mi")]
    [InlineData("100M")] // 10^8 bytes is less than 100Mi
    public void Refuses_a_size_below_the_100Mi_the_operator_gives_file_storage(string size)
    {
        var ex = Refused(Request(size: size), State(), BackupErrorIds.StorageSizeTooSmall);
        Assert.Contains("100Mi", ex.Message);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void Accepts_exactly_100Mi_and_warns_that_it_is_smaller_than_system_storage()
    {
        var plan = BackupPreflight.Evaluate(Request(size: "100Mi"), State());
        Assert.Contains(plan.Warnings, w => w.Contains("smaller than claim 'system-storage' (1Gi)", StringComparison.Ordinal));
    }

    // The PV controller never provisions for a class that does not exist (ProvisioningFailed: storageclass not found).
    [Fact]
    public void Refuses_a_StorageClass_that_does_not_exist_and_lists_the_classes()
    {
        var ex = Refused(Request(storageClass: "nosuch"), State(), BackupErrorIds.StorageClassNotFound);
        Assert.Equal(new[] { "gp3", "standard" }, ex.Items);
        Assert.Contains("'nosuch'", ex.Message);
        Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
    }

    // DefaultStorageClass admission: a claim without a class gets the default one, and without a default none at all.
    [Fact]
    public void Refuses_no_StorageClass_when_the_cluster_has_no_default_class()
    {
        var storage = new BackupStorageView(new[] { Objects.StorageClass("gp3") }, null);
        var ex = Refused(Request(), State(storage: storage), BackupErrorIds.DefaultStorageClassMissing);
        Assert.Contains("gp3", ex.Message);
        BackupPreflight.Evaluate(Request(storageClass: "gp3"), State(storage: storage));
    }

    [Theory]
    [InlineData("storageclass.kubernetes.io/is-default-class")]
    [InlineData("storageclass.beta.kubernetes.io/is-default-class")]
    public void Either_default_class_annotation_counts(string annotation)
    {
        var annotated = Objects.Parse(Objects.Fill("""{"metadata":{"name":"old","annotations":{"@a@":"true"}},"provisioner":"p"}""", ("a", annotation)));
        BackupPreflight.Evaluate(Request(), State(storage: new BackupStorageView(new[] { annotated }, null)));
    }

    [Fact]
    public void Refuses_a_VolumeName_that_does_not_exist()
    {
        var ex = Refused(Request(volumeName: "nosuch"), State(storage: DefaultStorage with { Volume = null }), BackupErrorIds.VolumeNotFound);
        Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
    }

    // pv_controller: a claim naming a volume whose claimRef is another claim stays Pending ("already bound to a different claim").
    [Theory]
    [InlineData("Bound", "other", "uid-1", "is Bound to claim 3scale/other")]
    [InlineData("Released", "nightly", "uid-old", "still reserved for the deleted claim 3scale/nightly")]
    public void Refuses_a_volume_already_bound_to_another_claim(string phase, string claim, string uid, string expected)
    {
        var volume = Objects.Volume("pv-backup-01", phase: phase, claimRef: Objects.Fill("""{"namespace":"3scale","name":"@c@","uid":"@u@"}""", ("c", claim), ("u", uid)));
        var ex = Refused(Request(volumeName: "pv-backup-01"), State(storage: new BackupStorageView(Array.Empty<JsonObject>(), volume)), BackupErrorIds.VolumeClaimedElsewhere);
        Assert.Contains(expected, ex.Message);
        Assert.Equal(FailureKind.ResourceBusy, ex.Kind);
    }

    [Fact]
    public void Accepts_a_volume_pre_bound_to_this_claim_by_name()
    {
        var volume = Objects.Volume("pv-backup-01", claimRef: """{"namespace":"3scale","name":"nightly"}""");
        BackupPreflight.Evaluate(Request(volumeName: "pv-backup-01"), State(storage: DefaultStorage with { Volume = volume }));
    }

    // checkVolumeSatisfyClaim: "storageClassName does not match". The operator's claim names no class, so admission
    // gives it the default class: a volume without a class (or of another) never binds beside a default.
    [Theory]
    [InlineData(null, "has no StorageClass", "the cluster's default StorageClass 'standard'")]
    [InlineData("gp3", "has StorageClass 'gp3'", "the cluster's default StorageClass 'standard'")]
    public void Refuses_a_volume_of_another_class_than_the_claim_gets(string? volumeClass, string has, string gets)
    {
        var volume = Objects.Volume("pv-backup-01", storageClass: volumeClass);
        var ex = Refused(Request(volumeName: "pv-backup-01"), State(storage: DefaultStorage with { Volume = volume }), BackupErrorIds.VolumeClassMismatch);
        Assert.Contains(has, ex.Message, StringComparison.Ordinal);
        Assert.Contains(gets, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_default_class_only_a_volume_without_a_class_binds()
    {
        var noDefault = new[] { Objects.StorageClass("gp3") };
        BackupPreflight.Evaluate(Request(volumeName: "pv-backup-01"), State(storage: new BackupStorageView(noDefault, Objects.Volume("pv-backup-01", storageClass: null))));
        var ex = Refused(Request(volumeName: "pv-backup-01"), State(storage: new BackupStorageView(noDefault, Objects.Volume("pv-backup-01", storageClass: "gp3"))),
            BackupErrorIds.VolumeClassMismatch);
        Assert.Contains("no class, since the cluster has no default StorageClass", ex.Message, StringComparison.Ordinal);
    }

    // checkVolumeSatisfyClaim: "incompatible accessMode" / "incompatible volumeMode".
    [Fact]
    public void Refuses_a_volume_without_ReadWriteOnce_or_not_a_filesystem()
    {
        Refused(Request(volumeName: "pv-backup-01"), State(storage: DefaultStorage with { Volume = Objects.Volume("pv-backup-01", accessModes: "\"ReadOnlyMany\"") }),
            BackupErrorIds.VolumeAccessModeMismatch);
        Refused(Request(volumeName: "pv-backup-01"), State(storage: DefaultStorage with { Volume = Objects.Volume("pv-backup-01", volumeMode: "Block") }),
            BackupErrorIds.VolumeModeMismatch);
        BackupPreflight.Evaluate(Request(volumeName: "pv-backup-01"),
            State(storage: DefaultStorage with { Volume = Objects.Volume("pv-backup-01", accessModes: "\"ReadWriteOnce\",\"ReadWriteMany\"") }));
    }

    // checkVolumeSatisfyClaim: "requested PV is too small".
    [Fact]
    public void Refuses_a_volume_smaller_than_the_size()
    {
        var ex = Refused(Request(volumeName: "pv-backup-01", size: "20Gi"), State(), BackupErrorIds.VolumeTooSmall);
        Assert.Contains("10Gi", ex.Message);
    }

    [Fact]
    public void Without_read_access_to_storage_the_destination_is_not_checked_but_said_so()
    {
        var plan = BackupPreflight.Evaluate(Request(storageClass: "nosuch"), State(storageReadable: false));
        Assert.Contains(plan.Warnings, w => w.Contains("destination was not checked", StringComparison.Ordinal));
    }

    [Fact]
    public void Refuses_neither_destination_form() => Refused(Request(size: null), State(), BackupErrorIds.DestinationMissing);

    [Fact]
    public void Refuses_both_destination_forms() =>
        Refused(Request(storageClass: "gp3", volumeName: "pv-1"), State(), BackupErrorIds.DestinationAmbiguous);

    [Fact]
    public void Refuses_an_invalid_volume_name() =>
        Refused(Request(volumeName: "PV_1"), State(), BackupErrorIds.InvalidVolumeName);

    [Fact]
    public void Refuses_when_no_APIManager_exists() =>
        Refused(Request(), State(apiManagers: Array.Empty<JsonObject>()), BackupErrorIds.ApiManagerNotFound);

    [Fact]
    public void Refuses_several_APIManagers_and_lists_them()
    {
        var ex = Refused(Request(), State(apiManagers: new[] { Objects.ApiManager("zeta"), Objects.ApiManager("alpha") }), BackupErrorIds.ApiManagerAmbiguous);
        Assert.Equal(new[] { "alpha", "zeta" }, ex.Items);
        Assert.Contains("alpha, zeta", ex.Message);
    }

    [Fact]
    public void Refuses_an_ApiManagerName_that_is_not_the_one_found()
    {
        var ex = Refused(Request(apiManagerName: "other"), State(), BackupErrorIds.ApiManagerNameMismatch);
        Assert.Contains("example-apimanager", ex.Message);
    }

    [Theory]
    [InlineData("""{"externalComponents":{"system":{"database":true,"redis":true},"backend":{"redis":false}}}""", "backend.redis")]
    [InlineData("""{"externalComponents":{"system":{"redis":true},"backend":{"redis":true}}}""", "system.database")]
    [InlineData("""{"externalComponents":{"backend":{"redis":true}}}""", "system.database,system.redis")]
    [InlineData("""{}""", "system.database,system.redis,backend.redis")]
    [InlineData("""{"highAvailability":{"enabled":false}}""", "system.database,system.redis,backend.redis")]
    // externalComponents wins over the deprecated field, as in the operator's IsExternal
    [InlineData("""{"highAvailability":{"enabled":true},"externalComponents":{"system":{"database":true}}}""", "system.redis,backend.redis")]
    public void Refuses_components_the_operator_manages_itself(string spec, string expected)
    {
        var ex = Refused(Request(), State(apiManagers: new[] { Objects.ApiManager(spec: spec) }), BackupErrorIds.ComponentsNotExternal);
        Assert.Equal(expected.Split(','), ex.Items);
    }

    // The operator's backup (pkg/backup/apimanager_backup.go) runs for any APIManager and never copies database data.
    [Fact]
    public void Force_backs_up_internal_databases_with_a_warning_of_what_the_operator_leaves_out()
    {
        var plan = BackupPreflight.Evaluate(Request(force: true), State(apiManagers: new[] { Objects.ApiManager(spec: "{}") }));
        var warning = Assert.Single(plan.Warnings, w => w.StartsWith("-Force", StringComparison.Ordinal));
        Assert.Contains("system.database, system.redis, backend.redis", warning);
        Assert.Contains("does not copy the data", warning);
        Assert.Contains("start empty", warning);
    }

    [Fact]
    public void Accepts_the_deprecated_highAvailability_flag()
    {
        var plan = BackupPreflight.Evaluate(Request(), State(apiManagers: new[] { Objects.ApiManager(spec: """{"highAvailability":{"enabled":true}}""") }));
        Assert.Equal("example-apimanager", plan.ApiManagerName);
    }

    [Theory]
    [InlineData("simpleStorageService", """{"configurationSecretRef":{"name":"s3"}}""")]
    [InlineData("amazonSimpleStorageService", """{"awsBucket":"b","awsRegion":"r","awsCredentialsSecret":{"name":"s"}}""")]
    public void Refuses_S3_file_storage(string field, string value)
    {
        var spec = Objects.Fill("""{"highAvailability":{"enabled":true},"system":{"fileStorage":{"@field@":@value@}}}""", ("field", field), ("value", value));
        Refused(Request(), State(apiManagers: new[] { Objects.ApiManager(spec: spec) }), BackupErrorIds.FileStorageIsS3);
    }

    [Fact]
    public void Accepts_explicit_PVC_file_storage()
    {
        var spec = """{"highAvailability":{"enabled":true},"system":{"fileStorage":{"persistentVolumeClaim":{"storageClassName":"nfs"}}}}""";
        BackupPreflight.Evaluate(Request(), State(apiManagers: new[] { Objects.ApiManager(spec: spec) }));
    }

    [Fact]
    public void Refuses_when_the_system_storage_claim_is_missing() =>
        Refused(Request(), State(withSystemStorage: false), BackupErrorIds.SystemStorageMissing);

    [Fact]
    public void Warns_when_system_storage_is_ReadWriteOnce()
    {
        var plan = BackupPreflight.Evaluate(Request(), State(systemStorage: Objects.Claim("system-storage", accessModes: "\"ReadWriteOnce\"")));
        Assert.Contains(plan.Warnings, w => w.Contains("ReadWriteOnce", StringComparison.Ordinal));
    }

    [Fact]
    public void Refuses_when_a_secret_or_config_map_the_Job_reads_is_missing()
    {
        var secrets = Objects.AllBackupSecrets();
        secrets.Remove("system-smtp");
        var configMaps = Objects.AllConfigMaps();
        configMaps.Remove("apicast-environment");
        var ex = Refused(Request(), State(secrets: secrets, configMaps: configMaps), BackupErrorIds.SourceObjectsMissing);
        Assert.Equal(new[] { "secret/system-smtp", "configmap/apicast-environment" }, ex.Items);
    }

    [Fact]
    public void Refuses_an_existing_backup_of_that_name() =>
        Refused(Request(), State(existingBackup: Objects.Backup()), BackupErrorIds.BackupExists);

    [Fact]
    public void Refuses_an_existing_claim_of_that_name_unless_forced()
    {
        var existing = Objects.Claim("nightly", annotations: Objects.BackupAnnotations);
        var ex = Refused(Request(), State(existingClaim: existing), BackupErrorIds.BackupClaimExists);
        Assert.Equal(FailureKind.ResourceExists, ex.Kind);

        var plan = BackupPreflight.Evaluate(Request(force: true), State(existingClaim: existing));
        Assert.Contains(plan.Warnings, w => w.Contains("already exists", StringComparison.Ordinal));
    }

    [Fact]
    public void The_order_of_rules_puts_parameter_errors_before_cluster_ones() =>
        // A bad size is reported even when the namespace has no APIManager: it needs no cluster to fix.
        Refused(Request(size: "10GB"), State(apiManagers: Array.Empty<JsonObject>()), BackupErrorIds.InvalidStorageSize);
}
