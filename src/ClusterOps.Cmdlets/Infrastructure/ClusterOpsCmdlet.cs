using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure.Fleet;
using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>
/// Base of every ClusterOps cmdlet: runs the cmdlet's async work through the <see cref="PipelineBridge"/>, exposes
/// itself to Core as an <see cref="IOperationContext"/>, cancels on Ctrl+C, and maps failures to ErrorRecords in
/// one place. Derived cmdlets only bind parameters and call one Core operation.
/// </summary>
public abstract class ClusterOpsCmdlet : PSCmdlet, IOperationContext, IDisposable
{
    private readonly PipelineBridge _bridge = new();
    private readonly CancellationTokenSource _stop = new();
    private int _written; // objects written by this invocation, counted on the pipeline thread
    private HashSet<string> _commandLineParameters = new(StringComparer.OrdinalIgnoreCase);

    protected ClusterOpsCmdlet()
    {
        _bridge.PipelineFailed += () => _stop.Cancel();
    }

    public CancellationToken CancellationToken => _stop.Token;

    /// <summary>The IOperationContext (this cmdlet) that Core operations receive. Not named Context: cluster cmdlets
    /// have a -Context parameter.</summary>
    protected IOperationContext Operation => this;

    /// <summary>
    /// The operation context for a ConfirmImpact High cmdlet's -Force: prompts are skipped unless -WhatIf, an explicit
    /// -Confirm or $WhatIfPreference asks PowerShell to describe or ask. (A compiled cmdlet cannot lower
    /// $ConfirmPreference for itself alone, as a script's <c>$ConfirmPreference = 'None'</c> would.)
    /// </summary>
    protected IOperationContext ConfirmationFor(bool force)
    {
        if (!force)
            return Operation;
        var userAsked = InvokeOnPipelineThread(() =>
            MyInvocation.BoundParameters.ContainsKey("Confirm")
            || (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true })
            || LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference")));
        return ForceConfirmation.For(Operation, force, userAsked);
    }

    /// <summary>The server of the cluster this cmdlet talks to, once known: the target of connection errors.</summary>
    protected virtual string? ConnectedServer => null;

    /// <summary>
    /// The context the calling async flow works in (cluster cmdlets), or null. Everything the work hands the pipeline
    /// passes through it on the calling thread, before it is posted to the pipeline thread.
    /// </summary>
    protected virtual ContextScope? Scope => null;

    /// <summary>
    /// Whose Use-KubeContext defaults this invocation sees: its runspace's (captured on the pipeline thread at
    /// BeginProcessing; the async work runs on pool threads, where no runspace is current).
    /// </summary>
    protected string DefaultsScope { get; private set; } = "";

    /// <summary>The parameters bound on the command line (before any pipeline input), captured at BeginProcessing.</summary>
    protected IReadOnlySet<string> CommandLineParameters => _commandLineParameters;

    protected virtual Task BeginProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    protected virtual Task ProcessRecordAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    protected virtual Task EndProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected sealed override void BeginProcessing()
    {
        _commandLineParameters = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        DefaultsScope = RunspaceScope.Current;
        RunStage(BeginProcessingAsync);
    }

    protected sealed override void ProcessRecord()
    {
        if (AcceptRecord())
            RunStage(ProcessRecordAsync);
    }

    /// <summary>
    /// Runs on the pipeline thread after this record's pipeline binding, before any async work: false skips the record
    /// (having written its error). KubeCmdlet uses it to tell a piped context from an object to act on.
    /// </summary>
    protected virtual bool AcceptRecord() => true;
    protected sealed override void EndProcessing() => RunStage(EndProcessingAsync);
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Write every item of an async stream as it arrives (no buffering: results stream page by page).</summary>
    protected async Task WriteAllAsync<T>(IAsyncEnumerable<T> items)
    {
        await foreach (var item in items.WithCancellation(CancellationToken).ConfigureAwait(false))
        {
            if (item is not null)
                WriteObject((object)item);
        }
    }

    /// <summary>
    /// Run a call that needs the runspace (SessionState path resolution, provider access) on the pipeline thread;
    /// the async stages themselves run on the thread pool.
    /// </summary>
    protected T InvokeOnPipelineThread<T>(Func<T> call) => _bridge.Invoke(call);

    /// <summary>
    /// Resolve a path parameter against the PowerShell location (Set-Location), not the process's working directory,
    /// as PowerShell's own cmdlets do; absolute paths and ~ come back as they are meant.
    /// </summary>
    protected string ResolvePath(string path) => InvokeOnPipelineThread(() => GetUnresolvedProviderPathFromPSPath(path));

    /// <summary>Stop the cmdlet with a terminating error built from a parameter problem found before any work.</summary>
    protected void ThrowParameterError(string errorId, string message, object? target = null) =>
        ThrowTerminatingError(ErrorRecords.Create(new OperationException(errorId, FailureKind.InvalidArgument, message, target)));

    private void RunStage(Func<CancellationToken, Task> stage)
    {
        try
        {
            _bridge.Run(() => stage(_stop.Token));
        }
        catch (PipelineStoppedException)
        {
            throw;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ctrl+C: PowerShell already knows the pipeline is stopping.
        }
        catch (Exception ex) when (ex is IContainsErrorRecord { ErrorRecord: { } own } && ex is not ParentContainsErrorRecordException)
        {
            // PowerShell's own failure raised inside a pipeline call (ShouldProcess cannot prompt under
            // -NonInteractive, a host without UI): keep PowerShell's error id and category, as its cmdlets do.
            ThrowTerminatingError(new ErrorRecord(own, ex));
        }
        catch (Exception ex) when (ex is not ParentContainsErrorRecordException)
        {
            ThrowTerminatingError(ErrorRecords.Create(ex, server: ConnectedServer, written: _written));
        }
    }

    // IOperationContext: every call lands on the pipeline thread; the calling flow's Scope is applied first, on the
    // calling thread, because the pipeline thread does not see the flow's context.
    bool IOperationContext.ShouldProcess(string target, string action)
    {
        var scoped = Scope is { } scope ? scope.Target(target) : target;
        return _bridge.Invoke(() => ShouldProcess(scoped, action));
    }

    void IOperationContext.WriteObject(object item) => WriteObject(item);
    void IOperationContext.WriteInformation(object data, string tag) => _bridge.Post(() => WriteInformation(data, [tag]));

    void IOperationContext.WriteError(Exception error, object? target)
    {
        var record = Scope is { } scope ? scope.Error(error, target) : ErrorRecords.Create(error, target, ConnectedServer);
        _bridge.Post(() => WriteError(record));
    }

    void IOperationContext.WriteWarning(string message)
    {
        var text = Scoped(message);
        _bridge.Post(() => WriteWarning(text));
    }

    void IOperationContext.WriteVerbose(string message)
    {
        var text = Scoped(message);
        _bridge.Post(() => WriteVerbose(text));
    }

    void IOperationContext.WriteDebug(string message)
    {
        var text = Scoped(message);
        _bridge.Post(() => WriteDebug(text));
    }

    void IOperationContext.WriteProgress(OperationProgress progress)
    {
        var record = ToProgressRecord(Scope is { } scope ? scope.Progress(progress) : progress);
        _bridge.Post(() => WriteProgress(record));
    }

    private string Scoped(string message) => Scope is { } scope ? scope.Message(message) : message;

    /// <summary>Post an ErrorRecord built elsewhere (a fleet context that failed as a whole).</summary>
    protected void WriteErrorRecord(ErrorRecord record) => _bridge.Post(() => WriteError(record));

    /// <summary>Post a progress record that belongs to no context (the fleet's parent bar).</summary>
    protected void WriteProgressRecord(OperationProgress progress)
    {
        var record = ToProgressRecord(progress);
        _bridge.Post(() => WriteProgress(record));
    }

    /// <summary>
    /// Derived cmdlets call this instead of base WriteObject from async code. Every result passes through
    /// <see cref="PipelineOutput.Shape"/> here, the one place where Core records become PowerShell data.
    /// </summary>
    protected new void WriteObject(object? item)
    {
        if (item is not null && Scope is { } scope)
            item = scope.Shape(item);
        if (item is not null)
            _bridge.Post(() =>
            {
                base.WriteObject(PipelineOutput.Shape(item));
                _written++;
            });
    }

    private static ProgressRecord ToProgressRecord(OperationProgress p)
    {
        var record = new ProgressRecord(p.ActivityId, p.Activity, p.Status)
        {
            PercentComplete = p.PercentComplete,
            ParentActivityId = p.ParentActivityId,
            SecondsRemaining = p.SecondsRemaining,
            RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        if (p.CurrentOperation is not null)
            record.CurrentOperation = p.CurrentOperation;
        return record;
    }

    public void Dispose()
    {
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
