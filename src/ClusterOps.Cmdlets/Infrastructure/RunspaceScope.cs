using System.Management.Automation.Runspaces;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>The key of the calling runspace's Use-KubeContext defaults in <see cref="KubeConnectionCache"/>.</summary>
public static class RunspaceScope
{
    /// <summary>Only meaningful on a pipeline thread (cmdlet stages, argument completers).</summary>
    public static string Current => Runspace.DefaultRunspace?.InstanceId.ToString() ?? "";
}
