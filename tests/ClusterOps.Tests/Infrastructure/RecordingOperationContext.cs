using System.Collections.Concurrent;
using ClusterOps.Core.Common;

namespace ClusterOps.Tests.Infrastructure;

/// <summary>
/// The test implementation of <see cref="IOperationContext"/>: records everything an operation says and answers
/// ShouldProcess from a policy (default: yes), so Core operations run in xunit exactly as under a cmdlet.
/// </summary>
public sealed class RecordingOperationContext : IOperationContext
{
    private readonly Func<string, string, bool> _shouldProcess;
    private readonly CancellationTokenSource _cts;

    public RecordingOperationContext(Func<string, string, bool>? shouldProcess = null, CancellationToken cancellationToken = default)
    {
        _shouldProcess = shouldProcess ?? ((_, _) => true);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>A context that answers every ShouldProcess with no, as -WhatIf does.</summary>
    public static RecordingOperationContext WhatIf() => new((_, _) => false);

    public CancellationToken CancellationToken => _cts.Token;
    public void Cancel() => _cts.Cancel();

    public ConcurrentQueue<object> Objects { get; } = new();
    public ConcurrentQueue<(Exception Error, object? Target)> Errors { get; } = new();
    public ConcurrentQueue<(object Data, string Tag)> Information { get; } = new();
    public ConcurrentQueue<string> Warnings { get; } = new();
    public ConcurrentQueue<string> Verbose { get; } = new();
    public ConcurrentQueue<string> Debug { get; } = new();
    public ConcurrentQueue<OperationProgress> Progress { get; } = new();
    /// <summary>Every ShouldProcess question asked, with the answer given.</summary>
    public ConcurrentQueue<(string Target, string Action, bool Answer)> ShouldProcessCalls { get; } = new();

    public IEnumerable<T> ObjectsOf<T>() => Objects.OfType<T>();
    public IEnumerable<T> InformationOf<T>() => Information.Select(i => i.Data).OfType<T>();

    /// <summary>Everything written to any text stream, for "no secret leaks" assertions.</summary>
    public string AllText => string.Join("\n", Warnings.Concat(Verbose).Concat(Debug)
        .Concat(Information.Select(i => i.Data.ToString() ?? ""))
        .Concat(Errors.Select(e => e.Error.ToString()))
        .Concat(Progress.Select(p => $"{p.Activity} {p.Status} {p.CurrentOperation}")));

    public bool ShouldProcess(string target, string action)
    {
        var answer = _shouldProcess(target, action);
        ShouldProcessCalls.Enqueue((target, action, answer));
        return answer;
    }

    public void WriteObject(object item) => Objects.Enqueue(item);
    public void WriteError(Exception error, object? target = null) => Errors.Enqueue((error, target));
    public void WriteInformation(object data, string tag) => Information.Enqueue((data, tag));
    public void WriteWarning(string message) => Warnings.Enqueue(message);
    public void WriteVerbose(string message) => Verbose.Enqueue(message);
    public void WriteDebug(string message) => Debug.Enqueue(message);
    public void WriteProgress(OperationProgress progress) => Progress.Enqueue(progress);
}
