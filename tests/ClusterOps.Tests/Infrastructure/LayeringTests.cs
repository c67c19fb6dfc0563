using System.Reflection;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Tests.Infrastructure;

/// <summary>design.md: dependencies point down only, and nothing below the cmdlets references PowerShell.</summary>
public sealed class LayeringTests
{
    private static string[] References(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

    [Fact]
    public void Only_the_cmdlet_assembly_references_System_Management_Automation()
    {
        Assert.DoesNotContain("System.Management.Automation", References(typeof(IOperationContext).Assembly));
        Assert.DoesNotContain("System.Management.Automation", References(typeof(KubeApiException).Assembly));
        Assert.Contains("System.Management.Automation", References(typeof(ClusterOpsCmdlet).Assembly));
    }

    [Fact]
    public void Dependencies_point_down_only()
    {
        var kube = References(typeof(KubeApiException).Assembly);
        Assert.DoesNotContain("ClusterOps.Core", kube);
        Assert.DoesNotContain("ClusterOps.Cmdlets", kube);
        Assert.DoesNotContain("ClusterOps.Cmdlets", References(typeof(IOperationContext).Assembly));
        Assert.DoesNotContain(References(typeof(ClusterOpsCmdlet).Assembly), r => r.StartsWith("ClusterOps.Sandbox", StringComparison.Ordinal));
    }
}
