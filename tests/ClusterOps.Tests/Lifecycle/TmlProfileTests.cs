using ClusterOps.Core.Common;
using ClusterOps.Core.Lifecycle;

namespace ClusterOps.Tests.Lifecycle;

public class TmlProfileTests
{
    [Fact]
    public void Single_zone_objects_are_the_kits_names()
    {
        var p = TmlProfile.Create();
        Assert.Equal(
            new[] { "statefulset/cass-set-0", "deployment/cm-deploy-0", "statefulset/log-set-0", "statefulset/mysql-set-0", "statefulset/cache-set-0", "deployment/tm-deploy-0" },
            p.InStartOrder().Select(c => c.Workload.ToString()));
        Assert.Equal(new[] { "cm-svc-0", "tm-svc", "cache-svc-0", "mysql-svc-0", "log-svc-0", "cass-svc-0" }, p.ServicesInStopOrder());
        Assert.Equal(new[] { "nosqlvol-cass-set-0-0" }, p.Components.Single(c => c.Component == "NoSQL").ClaimNames(1));
        Assert.Equal(new[] { "sqlvol-mysql-set-0-0", "sqlvol-mysql-set-0-1" }, p.Components.Single(c => c.Component == "DB").ClaimNames(2));
        Assert.Empty(p.Components.Single(c => c.Component == "TM").ClaimNames(1));
        Assert.Equal("clusterops-tml-restore", p.RestoreRecordName);
    }

    [Fact]
    public void Component_secrets_follow_the_scripts_including_resource_secrets()
    {
        var p = TmlProfile.Create();
        string[] Secrets(string component) => p.Components.Single(c => c.Component == component).Secrets.ToArray();
        Assert.Equal(new[] { "cm-property", "cm-jks", "cm-crt", "cm-key", "cm-resource" }, Secrets("CM"));
        Assert.Equal(new[] { "tm-property", "tm-jks", "tm-trust-jks", "tm-resource" }, Secrets("TM"));
        Assert.Equal(new[] { "nosql-property", "nosql-resource", "nosql-p12", "nosql-trust-p12" }, Secrets("NoSQL"));
        Assert.Equal(new[] { "log-property", "log-resource" }, Secrets("Log"));
        Assert.Equal(new[] { "sql-property", "sql-resource" }, Secrets("DB"));
        Assert.Equal(new[] { "cache-property", "cache-resource" }, Secrets("Cache"));
        Assert.DoesNotContain(p.Components.SelectMany(c => c.Secrets), s => p.ClusterSecrets.Contains(s));
    }

    [Fact]
    public void Orders_are_the_scripts_orders()
    {
        var p = TmlProfile.Create();
        Assert.Equal(new[] { "CM", "TM", "Cache", "DB", "Log", "NoSQL" }, p.InStopOrder().Select(c => c.Component));
        Assert.Equal(new[] { "NoSQL", "CM", "Log", "DB", "Cache", "TM" }, p.InStartOrder().Select(c => c.Component));
    }

    [Fact]
    public void Zones_index_objects_0_to_n_minus_1_and_share_tm_svc()
    {
        var p = TmlProfile.Create(3);
        Assert.Equal(18, p.Components.Count);
        Assert.Equal(new[] { "cass-set-0", "cass-set-1", "cass-set-2" }, p.InStartOrder().Take(3).Select(c => c.Workload.Name));
        Assert.Equal(new[] { "cm-deploy-0", "cm-deploy-1", "cm-deploy-2" }, p.InStopOrder().Take(3).Select(c => c.Workload.Name));
        Assert.Equal(1, p.ServicesInStopOrder().Count(s => s == "tm-svc"));
        Assert.Contains("cass-svc-2", p.ServicesInStopOrder());
        Assert.Equal("NoSQL[2]", p.InStartOrder().ElementAt(2).DisplayName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(17)]
    public void Zone_count_out_of_range_is_rejected(int zones)
    {
        var ex = Assert.Throws<OperationException>(() => TmlProfile.Create(zones));
        Assert.Equal("InvalidZoneCount", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
    }
}
