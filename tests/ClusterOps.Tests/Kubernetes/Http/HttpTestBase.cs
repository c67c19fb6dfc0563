using System.Collections.Concurrent;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Tests.Kubernetes.Http;

public abstract class HttpTestBase : IDisposable
{
    protected readonly TempDir Dir = new();
    protected readonly ConcurrentQueue<string> Verbose = new();
    protected readonly ConcurrentQueue<string> Warnings = new();

    protected KubeLog Log => new(Verbose.Enqueue, Warnings.Enqueue);

    /// <summary>Short waits so retry tests stay fast; no proxy from the machine's environment.</summary>
    protected static KubeClientOptions FastOptions(Func<string, string?>? env = null) => new()
    {
        Retry = new RetryPolicy(4, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2)),
        RequestTimeout = TimeSpan.FromSeconds(20),
        GetEnvironmentVariable = env ?? (_ => null),
    };

    protected ResolvedContext Resolve(string yaml, string file = "config")
    {
        var path = Dir.Write(file, yaml);
        return KubeConfigLoader.Load(path, new KubeEnvironment(_ => null, "/nonexistent-home", "/nonexistent-sa")).Resolve();
    }

    protected KubeClient ClientFor(string yaml, KubeClientOptions? options = null) =>
        KubeClient.Create(Resolve(yaml), options ?? FastOptions(), Log);

    protected string AllLogText => string.Join("\n", Verbose.Concat(Warnings));

    public virtual void Dispose() => Dir.Dispose();
}
