using System.Text.Json.Nodes;
using ClusterOps.Core.Backup;

namespace ClusterOps.Tests.Backup;

public sealed class RestorePreflightTests
{
    private static readonly RestoreRequest ByClaim = new("restore-1", "3scale", ClaimName: "nightly");

    private static RestoreClusterState State(JsonObject? claim = null, bool withClaim = true, IEnumerable<string>? secrets = null,
        IReadOnlyList<JsonObject>? apiManagers = null, bool withSystemStorage = true, JsonObject? existingRestore = null) =>
        new(existingRestore, claim ?? (withClaim ? Objects.Claim("nightly", annotations: Objects.BackupAnnotations) : null),
            new HashSet<string>(secrets ?? ThreescaleApi.SecretsNotRestored),
            apiManagers ?? Array.Empty<JsonObject>(),
            withSystemStorage ? Objects.Claim("system-storage") : null);

    private static BackupPreflightException Refused(RestoreRequest request, string claimName, RestoreClusterState state, string id)
    {
        var ex = Assert.Throws<BackupPreflightException>(() => RestorePreflight.Evaluate(request, claimName, state));
        Assert.Equal(id, ex.ErrorId);
        return ex;
    }

    [Fact]
    public void A_restore_from_a_backup_claim_builds_the_operator_resource()
    {
        var plan = RestorePreflight.Evaluate(ByClaim, "nightly", State());
        Assert.Equal("nightly", plan.Resource.Str("spec", "restoreSource", "persistentVolumeClaim", "claimSource", "claimName"));
        Assert.Equal("APIManagerRestore", plan.Resource.Str("kind"));
        Assert.Equal("example-apimanager", plan.ApiManagerName);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void BackupName_resolves_to_the_claim_the_backup_recorded()
    {
        var backup = Objects.Backup(status: """{"completed":true,"backupPersistentVolumeClaimName":"nightly"}""");
        Assert.Equal("nightly", RestorePreflight.ResolveClaimName(new RestoreRequest("r", "3scale", BackupName: "nightly"), backup));
    }

    [Fact]
    public void BackupName_must_name_an_existing_completed_backup()
    {
        var request = new RestoreRequest("r", "3scale", BackupName: "nightly");
        Assert.Equal(BackupErrorIds.BackupNotFound,
            Assert.Throws<BackupPreflightException>(() => RestorePreflight.ResolveClaimName(request, null)).ErrorId);
        Assert.Equal(BackupErrorIds.BackupNotCompleted,
            Assert.Throws<BackupPreflightException>(() => RestorePreflight.ResolveClaimName(request, Objects.Backup(status: """{"startTime":"2026-11-21T10:00:00Z"}"""))).ErrorId);
    }

    [Fact]
    public void Exactly_one_source_is_required()
    {
        Assert.Equal(BackupErrorIds.RestoreSourceMissing,
            Assert.Throws<BackupPreflightException>(() => RestorePreflight.ValidateRequest(new RestoreRequest("r", "3scale"))).ErrorId);
        Assert.Equal(BackupErrorIds.RestoreSourceAmbiguous,
            Assert.Throws<BackupPreflightException>(() => RestorePreflight.ValidateRequest(new RestoreRequest("r", "3scale", "b", "c"))).ErrorId);
    }

    [Fact]
    public void Refuses_a_name_whose_shared_secret_name_would_be_too_long() =>
        Assert.Equal(BackupErrorIds.InvalidRestoreName, Assert.Throws<BackupPreflightException>(() =>
            RestorePreflight.ValidateRequest(new RestoreRequest(new string('r', 240), "3scale", ClaimName: "c"))).ErrorId);

    [Fact]
    public void Refuses_a_missing_claim() =>
        Refused(ByClaim, "nightly", State(withClaim: false), BackupErrorIds.RestoreClaimNotFound);

    [Fact]
    public void Refuses_a_claim_that_is_not_Bound()
    {
        var ex = Refused(ByClaim, "nightly", State(claim: Objects.Claim("nightly", phase: "Pending", annotations: Objects.BackupAnnotations)), BackupErrorIds.RestoreClaimNotBound);
        Assert.Contains("Pending", ex.Message);
    }

    [Fact]
    public void Refuses_a_claim_without_the_backup_annotations_and_lists_the_absent_ones()
    {
        var ex = Refused(ByClaim, "nightly", State(claim: Objects.Claim("nightly", annotations: """{"apiManagerName":"x","apiManagerUID":"u"}""")), BackupErrorIds.RestoreClaimNotABackup);
        Assert.Equal(new[] { "apiManagerBackupName", "apiManagerBackupUID" }, ex.Items);
    }

    // The operator's restore (pkg/restore/apimanager_restore.go) mounts any claim by name; it never reads these annotations.
    [Fact]
    public void Force_restores_from_a_claim_without_the_backup_annotations_and_says_what_the_operator_does()
    {
        var claim = Objects.Claim("nightly", annotations: "{}");
        Refused(ByClaim, "nightly", State(claim: claim), BackupErrorIds.RestoreClaimNotABackup);
        var plan = RestorePreflight.Evaluate(ByClaim with { Force = true }, "nightly", State(claim: claim));
        var warning = Assert.Single(plan.Warnings);
        Assert.StartsWith("-Force", warning);
        Assert.Contains("apimanager/apimanager-backup.json", warning);
        Assert.Contains("waits forever", warning);
        Assert.Null(plan.ApiManagerName);
    }

    [Fact]
    public void Refuses_a_claim_name_the_Jobs_cannot_mount() =>
        Refused(new RestoreRequest("r", "3scale", ClaimName: "old.backup"), "old.backup", State(), BackupErrorIds.RestoreClaimNameInvalid);

    [Fact]
    public void Refuses_when_secrets_the_operator_never_restores_are_missing_and_lists_them()
    {
        var ex = Refused(ByClaim, "nightly", State(secrets: new[] { "system-database", "system-memcache" }), BackupErrorIds.RestoreSecretsMissing);
        Assert.Equal(new[] { "backend-redis", "system-redis" }, ex.Items);
    }

    [Fact]
    public void Refuses_an_existing_restore_of_that_name() =>
        Refused(ByClaim, "nightly", State(existingRestore: Objects.Restore()), BackupErrorIds.RestoreExists);

    [Fact]
    public void Warns_about_what_the_operator_will_not_overwrite_and_what_it_creates_small()
    {
        var secrets = ThreescaleApi.SecretsNotRestored.Concat(new[] { "system-seed", "zync" });
        var plan = RestorePreflight.Evaluate(ByClaim, "nightly",
            State(secrets: secrets, apiManagers: new[] { Objects.ApiManager() }, withSystemStorage: false));
        Assert.Equal(3, plan.Warnings.Count);
        Assert.Contains(plan.Warnings, w => w.Contains("'example-apimanager' already exists", StringComparison.Ordinal) && w.Contains("not overwrite", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("system-seed, zync", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("100Mi", StringComparison.Ordinal));
    }

    [Fact]
    public void Warns_when_another_APIManager_would_end_up_next_to_the_restored_one()
    {
        var plan = RestorePreflight.Evaluate(ByClaim, "nightly", State(apiManagers: new[] { Objects.ApiManager("other") }));
        Assert.Contains(plan.Warnings, w => w.Contains("two APIManagers", StringComparison.Ordinal));
    }
}
