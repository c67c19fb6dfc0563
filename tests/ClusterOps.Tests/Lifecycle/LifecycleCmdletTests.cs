using ClusterOps.Cmdlets.Lifecycle;
using ClusterOps.Cmdlets.Storage;
using ClusterOps.Tests.Cmdlets;

namespace ClusterOps.Tests.Lifecycle;

/// <summary>The safety-relevant metadata of the storage and lifecycle cmdlets (read with CustomAttributeData).</summary>
public class LifecycleCmdletTests
{
    [Theory]
    [InlineData(typeof(StopTmlClusterCommand), "High")]
    [InlineData(typeof(RemoveTmlClusterCommand), "High")]
    [InlineData(typeof(StartTmlClusterCommand), "Medium")]
    public void State_changing_cmdlets_confirm_at_the_right_impact(Type type, string impact)
    {
        var c = CmdletMetadata.Read(type)!;
        Assert.True(c.SupportsShouldProcess);
        Assert.Equal(impact, c.ConfirmImpact);
        Assert.Contains("Force", c.ParameterNames);
    }

    [Theory]
    [InlineData(typeof(GetTmlClusterCommand))]
    [InlineData(typeof(StopTmlClusterCommand))]
    [InlineData(typeof(StartTmlClusterCommand))]
    [InlineData(typeof(RemoveTmlClusterCommand))]
    public void Tml_cmdlets_take_namespace_context_and_zones_and_bind_by_property_name(Type type)
    {
        var c = CmdletMetadata.Read(type)!;
        foreach (var p in new[] { "Namespace", "Context", "KubeConfig", "Zones" })
            Assert.Contains(p, c.ParameterNames);
        Assert.True(c.Parameters.First(p => p.Name == "Namespace").ValueFromPipelineByPropertyName);
        Assert.True(c.Parameters.First(p => p.Name == "Context").ValueFromPipelineByPropertyName);
    }

    [Fact]
    public void Claim_listing_has_wildcard_names_and_a_separate_all_namespaces_set()
    {
        var c = CmdletMetadata.Read(typeof(GetPersistentVolumeClaimCommand))!;
        Assert.Equal("Namespace", c.DefaultParameterSet);
        var all = c.Parameters.Single(p => p.Name == "AllNamespaces");
        Assert.Equal("AllNamespaces", all.ParameterSet);
        Assert.True(all.Mandatory);
        Assert.True(c.Parameters.First(p => p.Name == "Name").ValueFromPipelineByPropertyName);
    }

    [Fact]
    public void Wait_takes_claims_from_the_pipeline_by_name()
    {
        var c = CmdletMetadata.Read(typeof(WaitPersistentVolumeClaimCommand))!;
        var name = c.Parameters.First(p => p.Name == "Name");
        Assert.True(name.Mandatory);
        Assert.True(name.ValueFromPipelineByPropertyName);
        Assert.True(c.Parameters.First(p => p.Name == "Namespace").ValueFromPipelineByPropertyName);
    }
}
