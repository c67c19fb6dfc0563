using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Lifecycle;

/// <summary>What every TML cmdlet shares: -Zones, and -Force turning off prompts (never -WhatIf).</summary>
public abstract class TmlCmdlet : NamespacedKubeCmdlet
{
    private readonly HashSet<(string Context, string Namespace)> _done = new();

    /// <summary>Number of zones of a multi-zone cluster (objects indexed 0..N-1).</summary>
    [Parameter]
    [ValidateRange(1, 16)]
    public int Zones { get; set; } = 1;

    /// <summary>
    /// False when this invocation already handled the cluster: piping Get-TmlCluster's six rows into Stop-TmlCluster
    /// stops the cluster once, not six times.
    /// </summary>
    protected bool FirstTimeFor(ClusterOps.Kubernetes.KubeSession session, string ns) => _done.Add((session.ContextName, ns));
}
