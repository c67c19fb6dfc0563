using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure.Fleet;
using ClusterOps.Core.Common;
using ClusterOps.Core.Connection;
using ClusterOps.Kubernetes;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>
/// Base of every cmdlet that talks to a cluster: adds -Context, -ThrottleLimit and -KubeConfig, resolves connections
/// through <see cref="KubeConnectionCache.Shared"/> on first use, and hands the derived cmdlet a <see cref="KubeSession"/>
/// whose client reports HTTP traces to Write-Verbose and TLS warnings to Write-Warning.
/// -Context selects one context (exactly as before fleets existed: its failures end the call) or, by several names or
/// wildcards, a fleet: the derived cmdlet's <see cref="ProcessAsync"/> then runs once per context, concurrently up to
/// -ThrottleLimit, and a context that fails is a non-terminating error naming it while the others complete. Derived
/// cmdlets contain no fleet logic: what their work writes is stamped with its context by the flowing
/// <see cref="ContextScope"/>.
/// </summary>
public abstract class KubeCmdlet : ClusterOpsCmdlet
{
    private static readonly AsyncLocal<ContextScope?> CurrentScope = new();

    /// <summary>The kubeconfig contexts to run in (wildcards allowed) instead of the session default / current-context.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeContextNameCompleter))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Context { get; set; }

    /// <summary>How many contexts of a fleet are worked on at the same time.</summary>
    [Parameter]
    [ValidateRange(1, 128)]
    public int ThrottleLimit { get; set; } = 16;

    /// <summary>A kubeconfig file used alone, instead of KUBECONFIG / ~/.kube/config.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    /// <summary>
    /// Receives each pipeline object, so that a context object (Get-KubeContext) can be told apart from an object the
    /// cmdlet acts on: a context only says where to run, it never supplies -Name or -Namespace. Not for direct use.
    /// </summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? PipelineInput
    {
        get => _pipelineInput;
        set
        {
            _pipelineInput = value;
            PipelineContext.Binding(value);
        }
    }

    private PSObject? _pipelineInput;

    /// <summary>-Namespace of namespaced cmdlets; null for cluster-scoped ones.</summary>
    protected virtual string? NamespaceParameter => null;

    /// <summary>The cmdlet's work for one pipeline record in one context, with a resolved session.</summary>
    protected abstract Task ProcessAsync(KubeSession session, CancellationToken cancellationToken);

    private volatile string? _server;

    protected override string? ConnectedServer => _server;

    protected override ContextScope? Scope => CurrentScope.Value;

    /// <summary>
    /// Called when there is no kubeconfig to connect with; return true when the cmdlet has answered the record itself
    /// (Test-KubeConnection reports it as data), false to fail with KubeConfigNotFound.
    /// </summary>
    protected virtual bool AnswerWithoutKubeConfig(KubeConfigNotFoundException missing) => false;

    protected sealed override bool AcceptRecord() => PipelineContext.Accept(this, PipelineInput, CommandLineParameters);

    protected sealed override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var kubeConfig = string.IsNullOrEmpty(KubeConfig) ? null : ResolvePath(KubeConfig);
        IReadOnlyList<string?> contexts;
        try
        {
            contexts = Context is { Length: > 0 } requested ? Select(kubeConfig, requested) : [null];
        }
        catch (KubeConfigNotFoundException missing) when (AnswerWithoutKubeConfig(missing))
        {
            return;
        }
        if (contexts.Count == 1)
        {
            await RunSingleAsync(kubeConfig, contexts[0], cancellationToken).ConfigureAwait(false);
            return;
        }
        if (contexts.Count > 1)
            await RunFleetAsync(kubeConfig, contexts!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One context, as before fleets: resolution and cluster failures are terminating. The scope still stamps
    /// Context and Server on the output.
    /// </summary>
    private async Task RunSingleAsync(string? kubeConfig, string? context, CancellationToken cancellationToken)
    {
        KubeSession session;
        try
        {
            session = Connect(kubeConfig, context);
        }
        catch (KubeConfigNotFoundException missing) when (AnswerWithoutKubeConfig(missing))
        {
            return;
        }
        _server = session.Client.Server.ToString();
        await InScopeAsync(new ContextScope(session.ContextName, _server), () => ProcessAsync(session, cancellationToken)).ConfigureAwait(false);
    }

    private async Task RunFleetAsync(string? kubeConfig, IReadOnlyList<string> contexts, CancellationToken cancellationToken)
    {
        RefuseUnconfirmedFleetChange(contexts.Count);
        await FanOutAsync(contexts, context => context, (context, scope) =>
        {
            var session = Connect(kubeConfig, context);
            return InScopeAsync(scope(session), () => ProcessAsync(session, cancellationToken));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Work gathered per context during the records and finished at the end (Wait-PersistentVolumeClaim waits for all
    /// its claims together): run once per session, as a fleet runs when there are several (concurrently, each in its
    /// context's scope, a context's failure its own non-terminating error), exactly as before when there is one.
    /// </summary>
    protected Task ForEachSessionAsync(IReadOnlyList<KubeSession> sessions, Func<KubeSession, Task> work, CancellationToken cancellationToken) =>
        sessions.Count == 0 ? Task.CompletedTask
        : sessions.Count == 1
            ? InScopeAsync(new ContextScope(sessions[0].ContextName, sessions[0].Client.Server.ToString()), () => work(sessions[0]))
            : FanOutAsync(sessions, s => s.ContextName, (s, scope) => InScopeAsync(scope(s), () => work(s)), cancellationToken);

    /// <summary>
    /// The one fan-out: every item's context runs concurrently up to -ThrottleLimit under the fleet's parent progress
    /// bar; <paramref name="run"/> gets a factory for the context's scope once it has a session.
    /// </summary>
    private async Task FanOutAsync<T>(IReadOnlyList<T> items, Func<T, string> contextOf, Func<T, Func<KubeSession, ContextScope>, Task> run,
        CancellationToken cancellationToken)
    {
        var progress = new FleetProgress(MyInvocation.MyCommand.Name, items.Count);
        WriteProgressRecord(progress.Started());
        using var throttle = new SemaphoreSlim(ThrottleLimit);
        await Task.WhenAll(items.Select((item, index) => Task.Run(async () =>
        {
            var context = contextOf(item);
            try
            {
                await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the call is stopping: contexts not started yet are not started
            }
            try
            {
                await run(item, session => new ContextScope(context, session.Client.Server.ToString(), progress, index)).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not PipelineStoppedException)
            {
                WriteErrorRecord(ErrorRecords.ForContext(ex, context));
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C or -ErrorAction Stop elsewhere in the fleet: PowerShell already knows why the call ends.
            }
            finally
            {
                throttle.Release();
                WriteProgressRecord(progress.ContextDone(context));
            }
        }, CancellationToken.None))).ConfigureAwait(false);
    }

    /// <summary>
    /// Run <paramref name="work"/> with <paramref name="scope"/> flowing through it (an AsyncLocal set inside an
    /// async method is undone when it returns, so concurrent contexts never see each other's scope).
    /// </summary>
    private static async Task InScopeAsync(ContextScope scope, Func<Task> work)
    {
        CurrentScope.Value = scope;
        await work().ConfigureAwait(false);
    }

    /// <summary>The merged kubeconfig this invocation uses (-KubeConfig, else KUBECONFIG / ~/.kube/config), from the cache.</summary>
    protected Kubernetes.Config.KubeConfig LocalKubeConfig() =>
        KubeConnectionCache.Shared.LoadConfig(string.IsNullOrEmpty(KubeConfig) ? null : ResolvePath(KubeConfig));

    private KubeSession Connect(string? kubeConfig, string? context) =>
        KubeConnectionCache.Shared.GetSession(new KubeSessionRequest(kubeConfig, context, NamespaceParameter, DefaultsScope),
            new KubeLog(Operation.WriteVerbose, Operation.WriteWarning));

    /// <summary>
    /// The contexts -Context selects. A single literal name keeps today's rule (an unknown one is the call's
    /// terminating KubeContextNotFound, raised by the connection); with several values an unknown name is a
    /// non-terminating error and a wildcard matching nothing a warning, and the rest run.
    /// </summary>
    private IReadOnlyList<string?> Select(string? kubeConfig, string[] requested)
    {
        if (requested.Length == 1 && !NamePattern.ContainsWildcards(requested[0]))
            return [requested[0]];
        var config = KubeConnectionCache.Shared.LoadConfig(kubeConfig);
        var selection = KubeContextSelection.From(config, requested);
        foreach (var unknown in selection.Unknown)
            WriteErrorRecord(ErrorRecords.Create(new KubeContextNotFoundException(unknown,
                $"The context '{unknown}' does not exist in the kubeconfig. Known contexts: {string.Join(", ", config.Contexts.Keys)}.",
                config.Files.FirstOrDefault())));
        foreach (var pattern in selection.EmptyPatterns)
            Operation.WriteWarning($"-Context '{pattern}' matches no context of the kubeconfig; Get-KubeContext lists them.");
        return selection.Contexts;
    }

    /// <summary>
    /// -Confirm:$false on a ConfirmImpact High cmdlet turns off the one prompt that would name each cluster; across
    /// several clusters that takes -Force as well, so a runbook line cannot silently change a whole fleet.
    /// </summary>
    private void RefuseUnconfirmedFleetChange(int contexts)
    {
        var impact = (GetType().GetCustomAttributes(typeof(CmdletAttribute), true).FirstOrDefault() as CmdletAttribute)?.ConfirmImpact;
        if (impact != ConfirmImpact.High)
            return;
        var (confirmOff, force) = InvokeOnPipelineThread(() => (
            MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && confirm is SwitchParameter { IsPresent: false },
            MyInvocation.BoundParameters.TryGetValue("Force", out var f) && f is SwitchParameter { IsPresent: true }));
        if (confirmOff && !force)
            throw new OperationException(FleetErrorIds.ChangeNeedsForce, FailureKind.InvalidArgument,
                $"-Confirm:$false with {contexts} contexts needs -Force as well: {MyInvocation.MyCommand.Name} changes every context without asking. " +
                "Add -Force, or leave out -Confirm:$false to be asked per context, or use -WhatIf to see what would change.",
                string.Join(", ", Context ?? []));
    }
}

/// <summary>A cluster cmdlet on namespaced objects: adds -Namespace (default: the session's / context's namespace).</summary>
public abstract class NamespacedKubeCmdlet : KubeCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName(KubeNameRule.Namespace)]
    [Alias("n")]
    public string? Namespace { get; set; }

    protected override string? NamespaceParameter => Namespace;
}
