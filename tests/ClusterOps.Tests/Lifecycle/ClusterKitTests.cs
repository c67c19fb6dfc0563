using System.Text;
using ClusterOps.Core.Common;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Lifecycle;

/// <summary>
/// Reading a TIBCO kit directory the way start-tml-cluster.sh applies it (set-*-svc.sh, deploy-*-pod.sh of
/// pravatvmware/Mashery-With-NFS): which file makes which object, and that every file is checked before a start.
/// </summary>
public sealed class ClusterKitTests : IDisposable
{
    private readonly string _kit = CopyExampleKit();

    public void Dispose() => Directory.Delete(_kit, recursive: true);

    public static string ExampleKit => Path.Combine(RepoPaths.Root, "docs", "examples", "manifest-single-zone");

    /// <summary>A private copy of docs/examples/manifest-single-zone that a test may break.</summary>
    public static string CopyExampleKit()
    {
        var target = Path.Combine(Path.GetTempPath(), "clusterops-kit-" + Guid.NewGuid().ToString("n"), "manifest-single-zone");
        foreach (var file in Directory.EnumerateFiles(ExampleKit, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(ExampleKit, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    private static ClusterKit Load(string dir, int zones = 1) => ClusterKit.Load(TmlProfile.Create(zones), dir, "tml");

    private OperationException Refused() => Assert.Throws<OperationException>(() => Load(_kit));

    [Fact]
    public void The_kit_defines_what_start_tml_cluster_sh_creates_in_its_order()
    {
        var kit = Load(_kit);
        var items = kit.Items.Select(i => $"{i.Object}<{i.Path}").ToList();
        // set-cass-svc.sh, then deploy-nosql-pod.sh (secrets, then the StatefulSet), then CM, log, DB, memcache, TM.
        Assert.Equal(new[]
        {
            "service/cass-svc-0<cass-svc-0.yaml", "secret/nosql-property<tml_nosql_properties.json", "secret/nosql-resource<resources/tml-nosql",
            "secret/nosql-p12<tml-nosql.p12", "secret/nosql-trust-p12<tml-nosql-trust.p12", "statefulset/cass-set-0<nosql-pod-0.yaml",
            "service/cm-svc-0<cm-svc-0.yaml", "secret/cm-property<tml_cm_properties.json", "secret/cm-jks<tml-cm.jks", "secret/cm-crt<tml-cm-crt.pem",
            "secret/cm-key<tml-cm-key.pk8", "secret/cm-resource<resources/tml-cm", "deployment/cm-deploy-0<cm-pod-0.yaml",
            "service/log-svc-0<log-svc-0.yaml", "secret/log-property<tml_log_properties.json", "secret/log-resource<resources/tml-log", "statefulset/log-set-0<log-pod-0.yaml",
            "service/mysql-svc-0<mysql-svc-0.yaml", "secret/sql-property<tml_sql_properties.json", "secret/sql-resource<resources/tml-sql", "statefulset/mysql-set-0<sql-pod-0.yaml",
            "service/cache-svc-0<cache-svc-0.yaml", "secret/cache-property<tml_cache_properties.json", "secret/cache-resource<resources/tml-cache", "statefulset/cache-set-0<cache-pod-0.yaml",
            "service/tm-svc<tm-svc.yaml", "secret/tm-property<tml_tm_properties.json", "secret/tm-jks<tml-tm.jks", "secret/tm-trust-jks<tml-tm-trust.jks",
            "secret/tm-resource<resources/tml-tm", "deployment/tm-deploy-0<tm-pod-0.yaml",
        }, items);
    }

    [Fact]
    public void A_property_file_becomes_a_generic_secret_keyed_by_its_file_name_as_kubectl_create_secret_from_file()
    {
        var kit = Load(_kit);
        var secret = kit.ManifestOf("Secret", "tm-property")!;
        Assert.Equal("Opaque", secret["type"]!.GetValue<string>());
        var data = secret["data"]!.AsObject();
        Assert.Equal(new[] { "tml_tm_properties.json" }, data.Select(kv => kv.Key));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_kit, "tml_tm_properties.json")), Convert.FromBase64String(data["tml_tm_properties.json"]!.GetValue<string>()));
    }

    [Fact]
    public void A_resources_directory_becomes_one_key_per_regular_file_skipping_subdirectories_as_kubectl_from_file_dir()
    {
        File.WriteAllText(Path.Combine(_kit, "resources/tml-tm/extra.conf"), "a=b\n");
        Directory.CreateDirectory(Path.Combine(_kit, "resources/tml-tm/nested"));
        File.WriteAllText(Path.Combine(_kit, "resources/tml-tm/nested/ignored.txt"), "x");
        var data = Load(_kit).ManifestOf("Secret", "tm-resource")!["data"]!.AsObject();
        Assert.Equal(new[] { "README.txt", "extra.conf" }, data.Select(kv => kv.Key));
    }

    [Fact]
    public void A_manifest_is_created_as_written_without_its_status_and_in_the_target_namespace_only()
    {
        var sts = Load(_kit).ManifestOf("StatefulSet", "cass-set-0")!;
        Assert.Null(sts["status"]);
        Assert.Equal(1, sts["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("nosqlvol", sts["spec"]!["volumeClaimTemplates"]![0]!["metadata"]!["name"]!.GetValue<string>());

        File.WriteAllText(Path.Combine(_kit, "cm-svc-0.yaml"), File.ReadAllText(Path.Combine(_kit, "cm-svc-0.yaml")).Replace("  name: cm-svc-0", "  name: cm-svc-0\n  namespace: other"));
        var ex = Refused();
        Assert.Equal(KitErrors.ObjectMismatch, ex.ErrorId);
        Assert.Contains("cm-svc-0.yaml sets metadata.namespace 'other', but the cluster is in namespace 'tml'", ex.Message);
    }

    [Fact]
    public void One_invalid_file_refuses_the_whole_kit_naming_the_file_and_line()
    {
        File.AppendAllText(Path.Combine(_kit, "tm-pod-0.yaml"), "  replicas: [unclosed\n");
        var ex = Refused();
        Assert.Equal(KitErrors.YamlInvalid, ex.ErrorId);
        Assert.Equal(FailureKind.InvalidData, ex.Kind);
        Assert.Contains("tm-pod-0.yaml is not valid YAML at line", ex.Message);
        Assert.Contains("nothing was started or changed", ex.Message);
    }

    [Fact]
    public void Every_problem_is_listed_and_the_first_gives_the_error_id()
    {
        File.Delete(Path.Combine(_kit, "tml-cm.jks"));
        File.WriteAllText(Path.Combine(_kit, "tml_log_properties.json"), "{ \"password\": \"s3cret-value\", ");
        Directory.Delete(Path.Combine(_kit, "resources/tml-tm"), recursive: true);
        var ex = Refused();
        Assert.Equal(KitErrors.FileMissing, ex.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
        Assert.Contains("(3 problem(s))", ex.Message);
        Assert.Contains("1) tml-cm.jks is missing; start-tml-cluster.sh makes secret/cm-jks from it", ex.Message);
        Assert.Contains("2) tml_log_properties.json is not valid JSON at line 1", ex.Message);
        Assert.Contains("3) resources/tml-tm/ is missing", ex.Message);
        Assert.DoesNotContain("s3cret", ex.Message); // a property file may hold passwords: positions only
    }

    [Fact]
    public void A_manifest_with_another_object_than_the_script_expects_is_refused()
    {
        File.Copy(Path.Combine(_kit, "log-pod-0.yaml"), Path.Combine(_kit, "sql-pod-0.yaml"), overwrite: true);
        var ex = Refused();
        Assert.Equal(KitErrors.ObjectMismatch, ex.ErrorId);
        Assert.Contains("sql-pod-0.yaml holds apps/v1 StatefulSet 'log-set-0'; start-tml-cluster.sh creates apps/v1 StatefulSet 'mysql-set-0' from it", ex.Message);
    }

    [Fact]
    public void A_statefulset_whose_claim_templates_would_not_reuse_the_kept_claims_is_refused()
    {
        var file = Path.Combine(_kit, "nosql-pod-0.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("name: nosqlvol", "name: cassandra-data"));
        var ex = Refused();
        Assert.Equal(KitErrors.ClaimTemplateMismatch, ex.ErrorId);
        Assert.Contains("claim templates [cassandra-data]", ex.Message);
        Assert.Contains("nosqlvol-cass-set-0-0", ex.Message);
        Assert.Contains("new, empty volumes", ex.Message);
    }

    [Fact]
    public void A_file_name_that_cannot_be_a_secret_key_is_refused_as_kubectl_does()
    {
        File.WriteAllText(Path.Combine(_kit, "resources/tml-cm/bad name.txt"), "x");
        var ex = Refused();
        Assert.Equal(KitErrors.SecretKeyInvalid, ex.ErrorId);
        Assert.Contains("resources/tml-cm/bad name.txt: the file name 'bad name.txt' cannot be a Secret key", ex.Message);
    }

    [Fact]
    public void A_secret_over_the_api_servers_1_MiB_limit_is_refused()
    {
        var dir = Path.Combine(_kit, "resources/tml-nosql");
        File.WriteAllBytes(Path.Combine(dir, "a.bin"), new byte[700 * 1024]);
        File.WriteAllBytes(Path.Combine(dir, "b.bin"), new byte[700 * 1024]);
        var ex = Refused();
        Assert.Equal(KitErrors.SecretTooLarge, ex.ErrorId);
        Assert.Contains("secret/nosql-resource would hold", ex.Message);
    }

    [Fact]
    public void A_bounded_reader_refusal_is_reported_with_its_own_id()
    {
        // An alias bomb: the shared bounded YAML reader refuses it before it expands.
        var bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 0; i < 8; i++)
            bomb.Append($"{(char)('b' + i)}: &{(char)('b' + i)} [*{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}]\n");
        File.WriteAllText(Path.Combine(_kit, "cache-svc-0.yaml"), bomb.ToString());
        var ex = Refused();
        Assert.Equal(KitErrors.InputRefused, ex.ErrorId);
        Assert.Contains("nodes", ex.Message);
    }

    [Fact]
    public void A_kit_generated_for_more_zones_than_asked_is_refused()
    {
        File.Copy(Path.Combine(_kit, "nosql-pod-0.yaml"), Path.Combine(_kit, "nosql-pod-1.yaml"));
        var ex = Refused();
        Assert.Equal(KitErrors.ZoneCountMismatch, ex.ErrorId);
        Assert.Contains("nosql-pod-1.yaml: the kit was generated for more than 1 zone(s)", ex.Message);
    }

    [Fact]
    public void The_directory_itself_must_exist_and_be_a_directory()
    {
        var missing = Assert.Throws<OperationException>(() => Load(Path.Combine(_kit, "nope")));
        Assert.Equal(KitErrors.DirectoryNotFound, missing.ErrorId);
        Assert.Contains("holds start-tml-cluster.sh", missing.Message);
        var file = Assert.Throws<OperationException>(() => Load(Path.Combine(_kit, "tm-svc.yaml")));
        Assert.Equal(KitErrors.NotADirectory, file.ErrorId);
    }

    [Fact]
    public void Secrets_that_differ_from_the_kit_are_named_never_shown()
    {
        var kit = Load(_kit);
        var same = (System.Text.Json.Nodes.JsonObject)kit.ManifestOf("Secret", "cm-crt")!.DeepClone();
        var changed = (System.Text.Json.Nodes.JsonObject)kit.ManifestOf("Secret", "cm-property")!.DeepClone();
        changed["data"]!["tml_cm_properties.json"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"old\": true}"));
        var differing = kit.SecretsDifferingFrom(new Dictionary<string, System.Text.Json.Nodes.JsonObject> { ["cm-crt"] = same, ["cm-property"] = changed });
        Assert.Equal(new[] { "cm-property" }, differing);
    }

    [Fact]
    public void A_start_from_the_kit_creates_every_absent_object_and_never_plans_to_delete_a_restore_record()
    {
        // What stop-tml-cluster.sh leaves: the claims, nothing else of the components.
        var cluster = new FakeCluster(TmlProfile.Create(), running: false).WithClaims();
        var kit = Load(_kit);
        Assert.Throws<OperationException>(() => ClusterPresence.EnsureComplete(cluster.Profile, "tml", cluster.Observe(), null, new[] { "persistentvolumeclaim/nosqlvol-cass-set-0-0" }));
        ClusterPresence.EnsureComplete(cluster.Profile, "tml", cluster.Observe(), null, new[] { "persistentvolumeclaim/nosqlvol-cass-set-0-0" }, kit);

        var plan = LifecyclePlanner.PlanStart(cluster.Profile, cluster.Observe(), kit);
        var creates = plan.Steps.Where(s => s.Action is StepAction.CreateService or StepAction.CreateSecret or StepAction.CreateWorkload).Select(s => s.Object);
        Assert.Equal(kit.Items.Select(i => i.Object), creates);
        Assert.DoesNotContain(plan.Steps, s => s.Action == StepAction.DeleteRestoreRecord);
    }

    [Fact]
    public void Starting_an_empty_namespace_from_a_kit_is_refused_a_kit_start_does_not_create_a_cluster()
    {
        var empty = new FakeCluster(TmlProfile.Create(), running: false);
        var ex = Assert.Throws<OperationException>(() => ClusterPresence.EnsureComplete(empty.Profile, "shop", empty.Observe(), null, Array.Empty<string>(), Load(_kit)));
        Assert.Equal("ClusterNotFound", ex.ErrorId);
        Assert.Contains("it does not create a new one", ex.Message);
    }
}
