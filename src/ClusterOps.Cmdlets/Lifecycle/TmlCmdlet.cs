using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Lifecycle;

/// <summary>What every TML cmdlet shares: -Zones, and -Force turning off prompts (never -WhatIf).</summary>
public abstract class TmlCmdlet : NamespacedKubeCmdlet
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Context, string Namespace), bool> _done = new();

    /// <summary>Number of zones of a multi-zone cluster (objects indexed 0..N-1).</summary>
    [Parameter]
    [ValidateRange(1, 16)]
    public int Zones { get; set; } = 1;

    /// <summary>
    /// False when this invocation already handled the cluster: piping Get-TmlCluster's six rows into Stop-TmlCluster
    /// stops the cluster once, not six times.
    /// </summary>
    /// (Concurrent: with several -Context values the contexts run at the same time.)
    protected bool FirstTimeFor(ClusterOps.Kubernetes.KubeSession session, string ns) => _done.TryAdd((session.ContextName, ns), true);
}

/// <summary>
/// A TML cmdlet that changes the cluster: it holds the cluster's lifecycle lease while it runs, so two such commands
/// never interleave; -Wait waits for a running one to finish instead of failing with ClusterBusy.
/// </summary>
public abstract class TmlChangeCmdlet : TmlCmdlet
{
    /// <summary>Wait for another Stop/Start/Remove-TmlCluster on the same cluster to finish instead of failing.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>
    /// The lease settings for this invocation: who holds it (shown to whoever waits), -Wait, and no lease at all under
    /// -WhatIf, which writes nothing.
    /// </summary>
    protected Core.Lifecycle.LeaseOptions Lease(string? detail = null, int? waitTimeoutSec = null) => new(
        MyInvocation.MyCommand.Name + (detail is null ? "" : " " + detail),
        Wait.IsPresent,
        waitTimeoutSec is int s ? TimeSpan.FromSeconds(s) : null,
        Take: !(MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true }));
}
