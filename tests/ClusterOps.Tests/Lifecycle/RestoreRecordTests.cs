using System.Text;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Core.Lifecycle;

namespace ClusterOps.Tests.Lifecycle;

public class RestoreRecordTests
{
    private const string SecretValue = "c3VwZXItc2VjcmV0LXBhc3N3b3Jk"; // base64 of a fake password

    private static JsonObject LiveSecret() => JsonNode.Parse($$$"""
        {"apiVersion":"v1","kind":"Secret","type":"Opaque",
         "metadata":{"name":"sql-property","namespace":"tml","uid":"u-1","resourceVersion":"42","creationTimestamp":"2026-01-01T00:00:00Z",
                     "managedFields":[{"manager":"kubectl"}],"labels":{"app":"mysql-svc"}},
         "data":{"tml_sql_properties.json":"{{{SecretValue}}}"}}
        """)!.AsObject();

    private static JsonObject LiveStatefulSet() => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"StatefulSet",
         "metadata":{"name":"mysql-set-0","namespace":"tml","uid":"u-2","generation":3,"resourceVersion":"9",
                     "ownerReferences":[{"kind":"X","name":"y","uid":"gone"}],
                     "annotations":{"deployment.kubernetes.io/revision":"2","team":"api","clusterops.io/stopped-replicas":"1"}},
         "spec":{"replicas":1,"serviceName":"mysql-svc-0","futureField":{"keep":true},
                 "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"mysql-svc"}},"spec":{"containers":[{"name":"db","image":"mysql"}]}},
                 "volumeClaimTemplates":[{"metadata":{"name":"sqlvol","creationTimestamp":null},"spec":{"accessModes":["ReadWriteOnce"]},"status":{"phase":"Pending"}}]},
         "status":{"replicas":1,"readyReplicas":1}}
        """)!.AsObject();

    [Fact]
    public void Cleaner_drops_server_fields_and_keeps_everything_else()
    {
        var live = LiveStatefulSet();
        var clean = ManifestCleaner.Clean(live, new[] { LifecycleAnnotations.StoppedReplicas });
        var meta = clean["metadata"]!.AsObject();
        foreach (var f in new[] { "uid", "generation", "resourceVersion", "ownerReferences" })
            Assert.False(meta.ContainsKey(f), f);
        Assert.False(clean.ContainsKey("status"));
        Assert.Equal("api", meta["annotations"]!["team"]!.GetValue<string>());
        Assert.False(meta["annotations"]!.AsObject().ContainsKey("deployment.kubernetes.io/revision"));
        Assert.False(meta["annotations"]!.AsObject().ContainsKey(LifecycleAnnotations.StoppedReplicas));
        Assert.True(clean["spec"]!["futureField"]!["keep"]!.GetValue<bool>());
        Assert.False(clean["spec"]!["template"]!["metadata"]!.AsObject().ContainsKey("creationTimestamp"));
        var vct = clean["spec"]!["volumeClaimTemplates"]![0]!.AsObject();
        Assert.False(vct.ContainsKey("status"));
        Assert.False(vct["metadata"]!.AsObject().ContainsKey("creationTimestamp"));
        Assert.True(live["metadata"]!.AsObject().ContainsKey("uid")); // input untouched
    }

    [Fact]
    public void Cleaner_frees_allocated_cluster_ips_but_keeps_headless()
    {
        var lb = JsonNode.Parse("""{"kind":"Service","metadata":{"name":"tm-svc"},"spec":{"type":"LoadBalancer","clusterIP":"10.0.0.7","clusterIPs":["10.0.0.7"],"healthCheckNodePort":31000,"ports":[{"port":80,"nodePort":30080}]},"status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"}]}}}""")!.AsObject();
        var clean = ManifestCleaner.Clean(lb);
        Assert.False(clean["spec"]!.AsObject().ContainsKey("clusterIP"));
        Assert.False(clean["spec"]!.AsObject().ContainsKey("clusterIPs"));
        Assert.False(clean["spec"]!.AsObject().ContainsKey("healthCheckNodePort"));
        Assert.Equal(30080, clean["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>());

        var headless = JsonNode.Parse("""{"kind":"Service","metadata":{"name":"cass-svc-0"},"spec":{"clusterIP":"None","clusterIPs":["None"]}}""")!.AsObject();
        Assert.Equal("None", ManifestCleaner.Clean(headless)["spec"]!["clusterIP"]!.GetValue<string>());
    }

    private static RestoreRecord Sample()
    {
        var record = new RestoreRecord("tml", 1, "tml", DateTimeOffset.Parse("2026-11-21T10:00:00Z"));
        record.Put(new RecordedObject("DB", 0, "Secret", "sql-property", ManifestCleaner.Clean(LiveSecret())));
        record.Put(new RecordedObject("DB", 0, "StatefulSet", "mysql-set-0", ManifestCleaner.Clean(LiveStatefulSet())));
        return record;
    }

    [Fact]
    public void Round_trips_through_its_secret()
    {
        var secret = Sample().ToSecret("clusterops-tml-restore", out var checksum);
        Assert.Equal(RestoreRecord.SecretType, secret["type"]!.GetValue<string>());
        Assert.Equal(checksum, secret["metadata"]!["annotations"]![RestoreRecord.ChecksumAnnotation]!.GetValue<string>());
        Assert.Equal("secret/sql-property,statefulset/mysql-set-0", secret["metadata"]!["annotations"]![RestoreRecord.ObjectsAnnotation]!.GetValue<string>());

        var bytes = Convert.FromBase64String(secret["data"]![RestoreRecord.DataKey]!.GetValue<string>());
        var back = RestoreRecord.Deserialize(bytes, checksum, "clusterops-tml-restore");
        Assert.Equal(new[] { "secret/sql-property", "statefulset/mysql-set-0" }, back.Objects.Select(o => o.Key));
        Assert.Equal(SecretValue, back.Find("Secret", "sql-property")!.Manifest["data"]!["tml_sql_properties.json"]!.GetValue<string>());
        Assert.Equal("tml", back.Namespace);
        Assert.Equal(DateTimeOffset.Parse("2026-11-21T10:00:00Z"), back.CreatedAt);
    }

    [Fact]
    public void Secret_data_never_appears_in_text_forms()
    {
        var record = Sample();
        var secret = record.ToSecret("r", out _);
        Assert.DoesNotContain(SecretValue, record.ToString());
        Assert.DoesNotContain(SecretValue, string.Join(" ", record.Objects.Select(o => o.ToString())));
        // The stored form is compressed, so not even the base64 text of a value can be grepped from the object.
        Assert.DoesNotContain(SecretValue, secret.ToJsonString());
    }

    [Fact]
    public void Checksum_mismatch_or_garbage_is_refused_without_quoting_content()
    {
        var secret = Sample().ToSecret("r", out var checksum);
        var bytes = Convert.FromBase64String(secret["data"]![RestoreRecord.DataKey]!.GetValue<string>());
        bytes[^5] ^= 0xFF;
        var ex = Assert.Throws<OperationException>(() => RestoreRecord.Deserialize(bytes, checksum, "r"));
        Assert.Equal("RestoreRecordUnreadable", ex.ErrorId);

        var garbage = Encoding.UTF8.GetBytes(SecretValue);
        var ex2 = Assert.Throws<OperationException>(() => RestoreRecord.Deserialize(garbage, null, "r"));
        Assert.Equal("RestoreRecordUnreadable", ex2.ErrorId);
        Assert.DoesNotContain(SecretValue, ex2.ToString());
    }

    [Fact]
    public void Put_replaces_by_kind_and_name_keeping_order()
    {
        var record = Sample();
        record.Put(new RecordedObject("DB", 0, "Secret", "sql-property", new JsonObject { ["v"] = 2 }));
        Assert.Equal(2, record.Objects.Count);
        Assert.Equal("secret/sql-property", record.Objects[0].Key);
        Assert.Equal(2, record.Find("secret", "sql-property")!.Manifest["v"]!.GetValue<int>());
    }

    [Fact]
    public void Oversized_record_is_refused_before_anything_is_deleted()
    {
        var record = new RestoreRecord("tml", 1, "tml", DateTimeOffset.UnixEpoch);
        var noise = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(1_200_000));
        record.Put(new RecordedObject("CM", 0, "Secret", "cm-jks", new JsonObject { ["data"] = new JsonObject { ["k"] = noise } }));
        var ex = Assert.Throws<OperationException>(() => record.ToSecret("r", out _));
        Assert.Equal("RestoreRecordTooLarge", ex.ErrorId);
        Assert.Contains("nothing was deleted", ex.Message);
    }

    [Fact]
    public void A_scaled_down_workload_is_recorded_with_the_replicas_it_had()
    {
        var live = LiveStatefulSet();
        live["spec"]!["replicas"] = 0;
        live["metadata"]!["annotations"]![LifecycleAnnotations.StoppedReplicas] = "3";
        var recorded = ClusterLifecycle.PrepareWorkload(live);
        Assert.Equal(3, recorded["spec"]!["replicas"]!.GetValue<int>());
        Assert.False(recorded["metadata"]!["annotations"]!.AsObject().ContainsKey(LifecycleAnnotations.StoppedReplicas));

        var running = LiveStatefulSet(); // replicas 1, a stale annotation: the live count wins
        Assert.Equal(1, ClusterLifecycle.PrepareWorkload(running)["spec"]!["replicas"]!.GetValue<int>());
    }
}
