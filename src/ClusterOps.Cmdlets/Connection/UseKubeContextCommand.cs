using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Connection;

namespace ClusterOps.Cmdlets.Connection;

/// <summary>
/// Makes a context (and optionally a namespace) this session's default for every ClusterOps cmdlet. Writes no
/// file. SupportsShouldProcess with ConfirmImpact Low: it never prompts by default, but -WhatIf shows which
/// cluster the following commands would target, which matters before destructive runbook steps.
/// </summary>
[Cmdlet(VerbsOther.Use, "KubeContext", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(KubeContextInfo))]
public sealed class UseKubeContextCommand : ClusterOpsCmdlet
{
    private const string DefaultSet = "Default";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = DefaultSet)]
    [ArgumentCompleter(typeof(KubeContextNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Position = 1, ParameterSetName = DefaultSet)]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName(KubeNameRule.Namespace)]
    [Alias("n")]
    public string? Namespace { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var path = string.IsNullOrEmpty(KubeConfig) ? null : ResolvePath(KubeConfig);
        var action = Namespace is null ? "Use as the session's default context" : $"Use as the session's default context with namespace '{Namespace}'";
        if (!Operation.ShouldProcess(Name, action))
            return Task.CompletedTask;
        KubeConnectionCache.Shared.SetDefaults(path, Name, Namespace, DefaultsScope);
        if (PassThru)
        {
            foreach (var context in KubeConnectionCache.Shared.DescribeContexts(path, null, out _, DefaultsScope).Where(c => c.Name == Name))
                WriteObject(context);
        }
        return Task.CompletedTask;
    }
}
