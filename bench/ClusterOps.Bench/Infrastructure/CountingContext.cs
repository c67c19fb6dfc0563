using ClusterOps.Core.Common;

namespace ClusterOps.Bench.Infrastructure;

/// <summary>An operation context that keeps nothing: the pipeline's consumer is out of scope, the operation is not.</summary>
public sealed class CountingContext : IOperationContext
{
    public CountingContext(CancellationToken cancellationToken = default) => CancellationToken = cancellationToken;

    public CancellationToken CancellationToken { get; }
    public int Objects { get; private set; }
    public List<string> Errors { get; } = new();
    public List<string> Warnings { get; } = new();

    public bool ShouldProcess(string target, string action) => true;
    public void WriteObject(object item) => Objects++;
    public void WriteError(Exception error, object? target = null) => Errors.Add(error.Message);
    public void WriteWarning(string message) => Warnings.Add(message);
    public void WriteInformation(object data, string tag) { }
    public void WriteVerbose(string message) { }
    public void WriteDebug(string message) { }
    public void WriteProgress(OperationProgress progress) { }
}
