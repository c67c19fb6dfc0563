using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Tests.Kubernetes;

namespace ClusterOps.Tests.Cmdlets;

public sealed class KubeConnectionCacheTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<ResolvedContext> _created = new();

    public void Dispose() => _dir.Dispose();

    private const string Config = """
        current-context: alpha
        clusters:
        - {name: a, cluster: {server: "https://a.example"}}
        - {name: b, cluster: {server: "https://b.example"}}
        users: [{name: u, user: {token: t}}]
        contexts:
        - {name: alpha, context: {cluster: a, user: u, namespace: apps}}
        - {name: beta, context: {cluster: b, user: u}}
        - {name: "team prod", context: {cluster: b, user: u}}
        """;

    private KubeConnectionCache Cache(string? kubeconfigVariable = null) => new(
        new KubeEnvironment(n => n == "KUBECONFIG" ? kubeconfigVariable : null, "/nonexistent-home", "/nonexistent-sa"),
        new KubeClientOptions(),
        (ctx, options) => { _created.Add(ctx); return KubeClient.Create(ctx, options); });

    [Fact]
    public void NothingIsReadUntilFirstUse()
    {
        // Constructing the cache (module import) with a broken KUBECONFIG must not fail.
        var bad = _dir.Write("bad", "clusters: [unclosed");
        var cache = Cache(bad);
        Assert.Throws<KubeConfigException>(() => cache.GetSession(new KubeSessionRequest()));
    }

    [Fact]
    public void ResolvesCurrentContextAndItsNamespace()
    {
        var path = _dir.Write("config", Config);
        var session = Cache(path).GetSession(new KubeSessionRequest());
        Assert.Equal("alpha", session.ContextName);
        Assert.Equal("apps", session.Namespace);
        Assert.Equal("https://a.example/", session.Client.Server.ToString());
    }

    [Fact]
    public void ClientIsReusedUntilTheFileChanges()
    {
        var path = _dir.Write("config", Config);
        var cache = Cache(path);
        cache.GetSession(new KubeSessionRequest());
        cache.GetSession(new KubeSessionRequest(Namespace: "other"));
        Assert.Single(_created);

        File.WriteAllText(path, Config.Replace("https://a.example", "https://a2.example", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var session = cache.GetSession(new KubeSessionRequest());
        Assert.Equal(2, _created.Count);
        Assert.Equal("a2.example", session.Client.Server.Host);
    }

    [Fact]
    public void ExplicitContextAndNamespaceWin()
    {
        var path = _dir.Write("config", Config);
        var session = Cache(path).GetSession(new KubeSessionRequest(Context: "beta", Namespace: "ns9"));
        Assert.Equal("beta", session.ContextName);
        Assert.Equal("ns9", session.Namespace);
    }

    [Fact]
    public void SessionDefaultsBelongToTheirScope_RunspacesNeverMoveEachOther()
    {
        var cache = Cache(_dir.Write("config", Config));
        cache.SetDefaults(null, "beta", "work", scope: "runspace-a");

        Assert.Equal("beta", cache.GetSession(new KubeSessionRequest(DefaultsScope: "runspace-a")).ContextName);
        Assert.Equal("alpha", cache.GetSession(new KubeSessionRequest(DefaultsScope: "runspace-b")).ContextName);
        Assert.Equal("alpha", cache.EffectiveContext(null, "runspace-b"));
        Assert.Null(cache.Defaults);
        cache.ClearDefaults("runspace-a");
        Assert.Equal("alpha", cache.GetSession(new KubeSessionRequest(DefaultsScope: "runspace-a")).ContextName);
    }

    [Fact]
    public async Task ConcurrentSessionsEachGetTheirOwnContextsClient()
    {
        var cache = Cache(_dir.Write("config", Config));
        var sessions = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
            cache.GetSession(new KubeSessionRequest(Context: i % 2 == 0 ? "alpha" : "beta")))));
        Assert.Equal(2, sessions.Select(s => s.ContextName).Distinct().Count());
        Assert.All(sessions, s => Assert.Equal(s.ContextName, s.Client.ContextName));
    }

    [Fact]
    public void SessionDefaultsApplyToTheSameFileSetOnly()
    {
        var path = _dir.Write("config", Config);
        var other = _dir.Write("other", Config.Replace("current-context: alpha", "current-context: beta", StringComparison.Ordinal));
        var cache = Cache(path);
        cache.SetDefaults(null, "beta", "work");

        var session = cache.GetSession(new KubeSessionRequest());
        Assert.Equal("beta", session.ContextName);
        Assert.Equal("work", session.Namespace);
        // The session namespace belongs to the session context: another context keeps its own.
        Assert.Equal("apps", cache.GetSession(new KubeSessionRequest(Context: "alpha")).Namespace);
        // -Namespace still wins.
        Assert.Equal("x", cache.GetSession(new KubeSessionRequest(Namespace: "x")).Namespace);
        // Another kubeconfig is not affected by the default chosen for this one.
        var explicitOther = cache.GetSession(new KubeSessionRequest(KubeConfig: other));
        Assert.Equal("beta", explicitOther.ContextName);
        Assert.Equal("default", explicitOther.Namespace);
        Assert.Equal("beta", cache.EffectiveContext(null));
        Assert.Equal("alpha", cache.EffectiveContext(_dir.Write("third", Config)));
    }

    [Fact]
    public void SetDefaultsRejectsUnknownContextsAndKeepsThePreviousDefault()
    {
        var path = _dir.Write("config", Config);
        var cache = Cache(path);
        cache.SetDefaults(null, "beta", null);
        var ex = Assert.Throws<KubeContextNotFoundException>(() => cache.SetDefaults(null, "Beta", null));
        Assert.Contains("'Beta' does not exist", ex.Message);
        Assert.Equal("beta", cache.Defaults!.Context);
        Assert.Null(cache.Defaults.Namespace);
    }

    [Fact]
    public void DescribeContextsMarksTheEffectiveContext()
    {
        var path = _dir.Write("config", Config);
        var cache = Cache(path);
        var all = cache.DescribeContexts(null, null, out var unmatched);
        Assert.Empty(unmatched);
        Assert.Equal(new[] { "alpha", "beta", "team prod" }, all.Select(c => c.Name));
        Assert.True(all.Single(c => c.Name == "alpha").IsCurrent);

        cache.SetDefaults(null, "team prod", "ops");
        var prod = cache.DescribeContexts(null, new[] { "team*", "gamma" }, out unmatched);
        var single = Assert.Single(prod);
        Assert.True(single.IsCurrent);
        Assert.Equal("ops", single.Namespace);
        Assert.Equal("Token", single.AuthMethod);
        Assert.Equal(path, single.SourceFile);
        Assert.Equal(new[] { "gamma" }, unmatched);
    }

    [Fact]
    public void CompletionOffersMatchingNamesQuotedWhenNeeded()
    {
        var path = _dir.Write("config", Config);
        var config = Cache(path).LoadConfig(null);
        Assert.Equal(new[] { "beta" }, KubeContextNames.Complete(config, "B"));
        Assert.Equal(new[] { "alpha", "beta", "team prod" }, KubeContextNames.Complete(config, ""));
        Assert.Equal(new[] { "team prod" }, KubeContextNames.Complete(config, "'team"));
        Assert.Equal("'team prod'", KubeContextNames.Quote("team prod"));
        Assert.Equal("arn:aws:eks:eu-west-1:1:cluster/x", KubeContextNames.Quote("arn:aws:eks:eu-west-1:1:cluster/x"));
        Assert.Equal("'it''s'", KubeContextNames.Quote("it's"));
    }
}
