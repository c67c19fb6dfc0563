using System.Text.Json.Nodes;
using ClusterOps.Core.Backup;
using ClusterOps.Core.Common;

namespace ClusterOps.Tests.Backup;

public sealed class BackupPreflightTests
{
    private static BackupRequest Request(string name = "nightly", string? size = "10Gi", string? storageClass = null,
        string? volumeName = null, string? apiManagerName = null, bool force = false) =>
        new(name, "3scale", apiManagerName, size, storageClass, volumeName, force);

    private static BackupClusterState State(IReadOnlyList<JsonObject>? apiManagers = null, JsonObject? existingBackup = null,
        JsonObject? existingClaim = null, JsonObject? systemStorage = null, bool withSystemStorage = true,
        IEnumerable<string>? secrets = null, IEnumerable<string>? configMaps = null) =>
        new(apiManagers ?? new[] { Objects.ApiManager() }, existingBackup, existingClaim,
            systemStorage ?? (withSystemStorage ? Objects.Claim("system-storage") : null),
            new HashSet<string>(secrets ?? Objects.AllBackupSecrets()), new HashSet<string>(configMaps ?? Objects.AllConfigMaps()));

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
