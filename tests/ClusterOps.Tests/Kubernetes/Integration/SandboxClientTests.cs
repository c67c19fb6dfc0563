using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ClusterOps.Core.Connection;
using ClusterOps.Kubernetes;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;
using ClusterOps.Sandbox;
using ClusterOps.Tests.Infrastructure;
using ClusterOps.Tests.Kubernetes.Auth;

namespace ClusterOps.Tests.Kubernetes.Integration;

/// <summary>The client against the sandbox API server over real HTTPS: auth methods, TLS, faults, paging, watch.</summary>
public sealed class SandboxClientTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ConcurrentQueue<string> _verbose = new();
    private readonly ConcurrentQueue<string> _warnings = new();

    public void Dispose() => _dir.Dispose();

    private KubeLog Log => new(_verbose.Enqueue, _warnings.Enqueue);
    private string LogText => string.Join("\n", _verbose.Concat(_warnings));

    private static KubeClientOptions Options => new()
    {
        Retry = new RetryPolicy(4, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3)),
        GetEnvironmentVariable = _ => null,
    };

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static ResolvedContext Load(string path) =>
        KubeConfigLoader.Load(path, new KubeEnvironment(_ => null, "/nonexistent-home", "/nonexistent-sa")).Resolve();

    private KubeClient ClientFor(string kubeconfigPath) => KubeClient.Create(Load(kubeconfigPath), Options, Log);

    /// <summary>A kubeconfig for the sandbox with a custom cluster and user body.</summary>
    private string KubeConfig(SandboxServer sandbox, string cluster, string user)
    {
        static string Indent(string s) => string.Join("\n", s.Split('\n').Select(l => "    " + l));
        return _dir.Write("kubeconfig-" + Guid.NewGuid().ToString("N")[..8], $"""
            current-context: s
            clusters:
            - name: s
              cluster:
                server: {sandbox.BaseAddress.GetLeftPart(UriPartial.Authority)}
            {Indent(cluster)}
            users:
            - name: u
              user:
            {Indent(user)}
            contexts:
            - name: s
              context: {"{"}cluster: s, user: u, namespace: default{"}"}
            """);
    }

    private static string CaData(SandboxServer sandbox) => "certificate-authority-data: " + B64(sandbox.CaCertificatePem);

    private static async Task<UserInfo?> WhoAmI(KubeClient client) => await client.WhoAmIAsync();

    [Fact]
    public async Task TokenFromTheSandboxKubeconfig()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { KubeConfigPath = _dir.Combine("sandbox.kubeconfig") });
        using var client = ClientFor(sandbox.KubeConfigPath);
        var session = new KubeSession(client, "default", "sandbox", Load(sandbox.KubeConfigPath));
        var result = await ConnectionTester.TestAsync(session, new RecordingOperationContext());
        Assert.True(result.Reachable);
        Assert.True(result.Authenticated);
        Assert.Equal("sandbox-admin", result.User);
        Assert.Equal("Token", result.AuthMethod);
        Assert.StartsWith("v1.", result.ServerVersion);
        Assert.DoesNotContain(sandbox.Token, LogText);
    }

    [Fact]
    public async Task RejectedTokenIsDiagnosedWithoutShowingIt()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        var path = KubeConfig(sandbox, CaData(sandbox), "token: revoked-token-0042");
        using var client = ClientFor(path);
        var result = await ConnectionTester.TestAsync(new KubeSession(client, "default", "s", Load(path)), new RecordingOperationContext());
        Assert.True(result.Reachable);
        Assert.False(result.Authenticated);
        Assert.Equal("Unauthorized", result.Problem);
        Assert.Contains("user 'u' (Token)", result.Diagnosis);
        Assert.DoesNotContain("revoked-token-0042", result.Diagnosis + LogText);
    }

    [Fact]
    public async Task ClientCertificateDataAndFiles()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Auth = SandboxAuthMode.Cert, KubeConfigPath = _dir.Combine("sandbox.kubeconfig") });
        using (var fromData = ClientFor(sandbox.KubeConfigPath))
        {
            Assert.Equal(AuthMethod.ClientCertificate, fromData.AuthMethod);
            Assert.Equal("sandbox-admin", (await WhoAmI(fromData))!.Username);
        }
        var (cert, key) = sandbox.IssueClientCertificate("cert-operator", "ops");
        _dir.Write("pki/op.crt", cert);
        _dir.Write("pki/op.key", key);
        using var fromFiles = ClientFor(KubeConfig(sandbox, CaData(sandbox), "client-certificate: pki/op.crt\nclient-key: pki/op.key"));
        var who = await WhoAmI(fromFiles);
        Assert.Equal("cert-operator", who!.Username);
        Assert.Contains("ops", who.Groups!);
    }

    [Fact]
    public async Task TokenFileRotation()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        sandbox.AddToken("rotating-token-1", "rotator");
        var tokenPath = _dir.Write("sa/token", "rotating-token-1");
        using var client = ClientFor(KubeConfig(sandbox, CaData(sandbox), "tokenFile: sa/token"));
        Assert.Equal("rotator", (await WhoAmI(client))!.Username);

        sandbox.RemoveToken("rotating-token-1");
        sandbox.AddToken("rotating-token-2", "rotator-2");
        File.WriteAllText(tokenPath, "rotating-token-2\n");
        File.SetLastWriteTimeUtc(tokenPath, DateTime.UtcNow.AddSeconds(2));
        Assert.Equal("rotator-2", (await WhoAmI(client))!.Username);
        Assert.DoesNotContain("rotating-token", LogText);
    }

    [UnixTheory]
    [InlineData("client.authentication.k8s.io/v1")]
    [InlineData("client.authentication.k8s.io/v1beta1")]
    public async Task ExecPluginTokensExpireAndAreRenewedAfterA401(string apiVersion)
    {
        await using var sandbox = await SandboxServer.StartAsync();
        sandbox.AddToken("exec-token-1", "exec-user");
        sandbox.AddToken("exec-token-2", "exec-user");
        var counter = _dir.Combine("runs");
        // Each run prints the next token; the first credential claims a far expiry, the server revokes it early.
        var script = string.Join("\n",
            "#!/bin/sh",
            $"n=$(cat '{counter}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{counter}'",
            $"printf '{{\"apiVersion\":\"{apiVersion}\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"exec-token-%s\",\"expirationTimestamp\":\"2999-01-01T00:00:00Z\"}}}}' \"$n\"",
            "");
        var plugin = _dir.Write("bin/creds", script);
        ExecPluginTests.MakeExecutable(plugin);
        using var client = ClientFor(KubeConfig(sandbox, CaData(sandbox),
            $"exec: {{apiVersion: {apiVersion}, command: ./bin/creds, interactiveMode: Never}}"));
        Assert.Equal("exec-user", (await WhoAmI(client))!.Username);
        await client.GetVersionAsync();
        Assert.Equal("1", File.ReadAllText(counter).Trim()); // cached until expiry

        sandbox.RemoveToken("exec-token-1");
        Assert.Equal("exec-user", (await WhoAmI(client))!.Username); // 401 → plugin re-run once → token 2
        Assert.Equal("2", File.ReadAllText(counter).Trim());
        Assert.DoesNotContain("exec-token-", LogText);
    }

    [Fact]
    public async Task WrongCaFailsWithATrustMessage()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        var other = TestCertificates.Create("Not The Sandbox CA");
        using var client = ClientFor(KubeConfig(sandbox, "certificate-authority-data: " + other.CaBase64, $"token: {sandbox.Token}"));
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.GetVersionAsync());
        var tls = Http.TransportTests.FindInner<KubeTlsException>(ex)!;
        Assert.Contains("not trusted by the certificate-authority-data of cluster 's'", tls.Message);
        Assert.DoesNotContain(sandbox.Token, ex.ToString());
    }

    [Fact]
    public async Task TlsServerNameAgainstACertificateForAnotherName()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            ServerCertificateDnsNames = new List<string> { "kube-api.internal.test" },
            IncludeIpAddressSan = false,
        });
        using (var withoutName = ClientFor(KubeConfig(sandbox, CaData(sandbox), $"token: {sandbox.Token}")))
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => withoutName.GetVersionAsync());
            Assert.Contains("not valid for the name '127.0.0.1'", Http.TransportTests.FindInner<KubeTlsException>(ex)!.Message);
        }
        using var client = ClientFor(KubeConfig(sandbox, CaData(sandbox) + "\ntls-server-name: kube-api.internal.test", $"token: {sandbox.Token}"));
        Assert.Equal("sandbox-admin", (await WhoAmI(client))!.Username);
    }

    [Fact]
    public async Task InsecureSkipTlsVerifyWorksAndWarns()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var client = ClientFor(KubeConfig(sandbox, "insecure-skip-tls-verify: true", $"token: {sandbox.Token}"));
        await client.GetVersionAsync();
        Assert.Contains(_warnings, w => w.Contains("TLS verification is disabled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetIsRetriedOn429And503WithRetryAfter()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var client = ClientFor(sandbox.KubeConfigPath);
        sandbox.Faults.FailNext(1, "GET", "/api/v1/namespaces/default/configmaps*", 429, TimeSpan.FromSeconds(1));
        sandbox.Faults.FailNext(1, "GET", "/api/v1/namespaces/default/configmaps*", 503, TimeSpan.FromSeconds(1));
        var list = await client.ListAllAsync(KubeResources.ConfigMaps, "default");
        Assert.NotNull(list.Metadata.ResourceVersion);
        Assert.Equal(0, sandbox.Faults.Pending);
        Assert.Equal(2, _verbose.Count(v => v.StartsWith("Retrying GET", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PostIsNotRetried()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var client = ClientFor(sandbox.KubeConfigPath);
        sandbox.Faults.FailNext(1, "POST", "/api/v1/namespaces/default/configmaps*", 503, TimeSpan.FromSeconds(0));
        var cm = new ConfigMap { Metadata = new ObjectMeta { Name = "once" }, Data = new() { ["k"] = "v" } };
        var ex = await Assert.ThrowsAsync<KubeApiException>(() => client.CreateAsync(KubeResources.ConfigMaps, "default", cm));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Null(await client.TryGetAsync(KubeResources.ConfigMaps, "default", "once"));
        Assert.DoesNotContain(_verbose, v => v.StartsWith("Retrying POST", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CrudRoundTripKeepsUnknownFieldsAndDetectsConflicts()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var client = ClientFor(sandbox.KubeConfigPath);
        var created = await client.CreateAsync(KubeResources.ConfigMaps, "default",
            new ConfigMap { Metadata = new ObjectMeta { Name = "cfg", Labels = new() { ["a"] = "1" } }, Data = new() { ["k"] = "v" } });
        var stale = await client.GetAsync(KubeResources.ConfigMaps, "default", "cfg");
        created.Data!["k"] = "v2";
        await client.UpdateAsync(KubeResources.ConfigMaps, "default", created);
        stale.Data!["k"] = "lost-update";
        var conflict = await Assert.ThrowsAsync<KubeApiException>(() => client.UpdateAsync(KubeResources.ConfigMaps, "default", stale));
        Assert.True(conflict.IsConflict);

        var patched = await client.PatchAsync(KubeResources.ConfigMaps, "default", "cfg",
            KubePatch.Merge(JsonNode.Parse("""{"metadata":{"labels":{"a":null,"b":"2"}}}""")!));
        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, patched.Metadata.Labels);
        Assert.Equal("v2", patched.Data!["k"]);

        var dry = await client.DeleteAsync(KubeResources.ConfigMaps, "default", "cfg", new DeleteOptions { DryRun = true });
        Assert.NotNull(await client.TryGetAsync(KubeResources.ConfigMaps, "default", "cfg"));
        await client.DeleteAsync(KubeResources.ConfigMaps, "default", "cfg", new DeleteOptions { PropagationPolicy = "Background" });
        Assert.Null(await client.TryGetAsync(KubeResources.ConfigMaps, "default", "cfg"));
        _ = dry;
    }

    [Fact]
    public async Task ModifyRetriesOnConflictFromAFreshRead()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var client = ClientFor(sandbox.KubeConfigPath);
        await client.CreateAsync(KubeResources.ConfigMaps, "default", new ConfigMap { Metadata = new ObjectMeta { Name = "counter" }, Data = new() { ["n"] = "0" } });
        var calls = 0;
        var result = await client.ModifyAsync(KubeResources.ConfigMaps, "default", "counter", cm =>
        {
            if (++calls == 1)
            {
                // Someone else writes between our read and our write: our first PUT must conflict.
                sandbox.Patch("configmaps", "default", "counter", new JsonObject { ["data"] = new JsonObject { ["other"] = "x" } });
            }
            cm.Data!["n"] = (int.Parse(cm.Data["n"], System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return true;
        });
        Assert.Equal(2, calls);
        Assert.Equal("1", result.Data!["n"]);
        Assert.Equal("x", result.Data["other"]); // the concurrent change was not overwritten
    }

    [Fact]
    public async Task DroppedWatchReconnectsWithoutLossOrDuplication()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var client = ClientFor(sandbox.KubeConfigPath);
        var list = await client.ListAllAsync(KubeResources.ConfigMaps, "default");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<string>();
        var watch = Task.Run(async () =>
        {
            await foreach (var e in client.WatchAsync(KubeResources.ConfigMaps, "default", new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion }, cts.Token))
            {
                seen.Add($"{e.Type}:{e.Object!.Metadata.Name}");
                if (seen.Count == 5)
                    return;
            }
        });
        async Task Create(string name) => await client.CreateAsync(KubeResources.ConfigMaps, "default", new ConfigMap { Metadata = new ObjectMeta { Name = name } });
        await Create("w1");
        await WaitFor(() => seen.Count >= 1, cts.Token);
        sandbox.Faults.CloseWatches(); // the server ends the watch
        await Create("w2");
        sandbox.Faults.DropNext(1, "GET", "/api/v1/namespaces/default/configmaps"); // and the reconnect attempt is dropped once
        sandbox.Faults.CloseWatches();
        await Create("w3");
        await client.PatchAsync(KubeResources.ConfigMaps, "default", "w1", KubePatch.Merge(JsonNode.Parse("""{"data":{"x":"1"}}""")!));
        await client.DeleteAsync(KubeResources.ConfigMaps, "default", "w2");
        await watch.WaitAsync(cts.Token);
        Assert.Equal(new[] { "Added:w1", "Added:w2", "Added:w3", "Modified:w1", "Deleted:w2" }, seen);
    }

    [Fact]
    public async Task WatchFromACompactedVersionRelists()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var client = ClientFor(sandbox.KubeConfigPath);
        var list = await client.ListAllAsync(KubeResources.ConfigMaps, "default");
        await client.CreateAsync(KubeResources.ConfigMaps, "default", new ConfigMap { Metadata = new ObjectMeta { Name = "before-compaction" } });
        sandbox.Faults.Compact();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<WatchEvent<ConfigMap>>();
        await foreach (var e in client.WatchAsync(KubeResources.ConfigMaps, "default", new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion }, cts.Token))
        {
            events.Add(e);
            if (e.Type == WatchEventType.Added && e.Object!.Metadata.Name == "before-compaction")
                break;
        }
        Assert.Equal(WatchEventType.Reset, events[0].Type);
        Assert.Contains(_verbose, v => v.Contains("listing again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExpiredContinueTokenIsHandled()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var client = ClientFor(sandbox.KubeConfigPath);
        for (var i = 0; i < 5; i++)
            await client.CreateAsync(KubeResources.ConfigMaps, "default", new ConfigMap { Metadata = new ObjectMeta { Name = $"c{i}" } });

        var names = new List<string>();
        await foreach (var cm in client.ListAsync(KubeResources.ConfigMaps, "default", new ListOptions { PageSize = 2 }))
        {
            names.Add(cm.Metadata.Name!);
            if (names.Count == 1)
            {
                await client.CreateAsync(KubeResources.ConfigMaps, "default", new ConfigMap { Metadata = new ObjectMeta { Name = "c9" } });
                sandbox.Faults.Compact(); // the next continue token is now too old
            }
        }
        // Restarted after c0 and c1: nothing twice, nothing missing, and the object created meanwhile is included.
        Assert.Equal(new[] { "c0", "c1", "c2", "c3", "c4", "c9" }, names);
        Assert.Contains(_verbose, v => v.Contains("expired after 2 objects", StringComparison.Ordinal));

        sandbox.Faults.Compact();
        var failed = new List<string>();
        await Assert.ThrowsAsync<KubeListExpiredException>(async () =>
        {
            await foreach (var cm in client.ListAsync(KubeResources.ConfigMaps, "default", new ListOptions { PageSize = 2, OnExpired = ListExpiredBehavior.Fail }))
            {
                failed.Add(cm.Metadata.Name!);
                if (failed.Count == 1)
                {
                    await client.CreateAsync(KubeResources.ConfigMaps, "default", new ConfigMap { Metadata = new ObjectMeta { Name = "c8" } });
                    sandbox.Faults.Compact();
                }
            }
        });
    }

    [Fact]
    public async Task MissingStorkCrdsAreReportedByName()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var client = ClientFor(sandbox.KubeConfigPath);
        await client.Discovery.EnsureApiGroupAsync("apps", "v1");
        var ex = await Assert.ThrowsAsync<KubeApiGroupNotInstalledException>(() => client.Discovery.EnsureApiGroupAsync("stork.libopenstorage.org", "v1alpha1"));
        Assert.Equal("The Stork CRDs (stork.libopenstorage.org/v1alpha1) are not installed in this cluster.", ex.Message);
        var schedules = ResourceType.Custom("stork.libopenstorage.org", "v1alpha1", "migrationschedules", "MigrationSchedule", namespaced: true);
        await Assert.ThrowsAsync<KubeApiGroupNotInstalledException>(async () =>
        {
            await foreach (var _ in client.ListAsync(schedules, "default")) { }
        });
        var deployments = await client.Discovery.ResolveKindAsync("apps/v1", "Deployment");
        Assert.Equal("deployments", deployments.Plural);
        Assert.True(deployments.Namespaced);
    }

    [Fact]
    public async Task StorkCustomResourcesListWatchAndPatchAsJsonObjects()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Scenario = "stork" });
        using var client = ClientFor(sandbox.KubeConfigPath);
        await client.Discovery.EnsureApiGroupAsync("stork.libopenstorage.org", "v1alpha1");
        var policies = ResourceType.Custom("stork.libopenstorage.org", "v1alpha1", "schedulepolicies", "SchedulePolicy", namespaced: false);
        var page = await client.ListAllAsync(policies, null);
        Assert.Contains(page.Items, p => (string?)p["metadata"]!["name"] == "default-daily-policy");

        // Read-modify-write of a CRD keeps every field the client does not model.
        var daily = await client.GetAsync(policies, null, "default-daily-policy");
        daily["metadata"]!["annotations"] = new JsonObject { ["ops/owner"] = "dba" };
        daily["policy"]!["daily"]!["retain"] = 9;
        var updated = await client.UpdateAsync(policies, null, daily);
        Assert.Equal("12:00am", (string?)updated["policy"]!["daily"]!["time"]);
        Assert.Equal(9, (int)updated["policy"]!["daily"]!["retain"]!);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var watch = client.WatchAsync(policies, null, new WatchOptions { ResourceVersion = page.Metadata.ResourceVersion }, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();
        await client.PatchAsync(policies, null, "default-weekly-policy", KubePatch.Merge(JsonNode.Parse("""{"policy":{"weekly":{"retain":5}}}""")!));
        Assert.True(await next);
        Assert.Contains(watch.Current.Type, new[] { WatchEventType.Modified });
        Assert.Contains((string?)watch.Current.Object!["metadata"]!["name"], new[] { "default-daily-policy", "default-weekly-policy" });
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task NoTokenKeyOrSecretValueInVerboseOutputOrExceptions()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        const string secretValue = "s3cr3t-p4ssw0rd-value";
        using (var admin = ClientFor(sandbox.KubeConfigPath))
        {
            await admin.CreateAsync(KubeResources.Secrets, "default", new Secret
            {
                Metadata = new ObjectMeta { Name = "db" },
                Data = new() { ["password"] = B64(secretValue) },
            });
            var secret = await admin.GetAsync(KubeResources.Secrets, "default", "db");
            Assert.Equal(B64(secretValue), secret.Data!["password"]);
            await foreach (var _ in admin.ListAsync(KubeResources.Secrets, "default")) { }
            Assert.DoesNotContain(secretValue, secret.ToString());
        }
        var texts = new List<string>();
        // Rejected credentials of every kind: the failure text must not echo them.
        var (cert, key) = sandbox.IssueClientCertificate("x");
        var keyBody = key.Split('\n')[1];
        foreach (var user in new[] { "token: leaked-token-abc123", "username: admin\npassword: leaked-password-xyz", $"client-certificate-data: {B64(cert)}\nclient-key-data: {B64(key)}" })
        {
            using var bad = ClientFor(KubeConfig(sandbox, CaData(sandbox), user));
            sandbox.Faults.FailNext(1, "GET", "/api/v1/namespaces/default/secrets/db", 401);
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => bad.GetAsync(KubeResources.Secrets, "default", "db"));
            texts.Add(ex.ToString());
        }
        var all = string.Join("\n", texts) + LogText;
        foreach (var forbidden in new[] { sandbox.Token, secretValue, B64(secretValue), "leaked-token-abc123", "leaked-password-xyz", keyBody })
            Assert.DoesNotContain(forbidden, all);
        Assert.Contains("GET https://127.0.0.1", LogText); // tracing did happen
    }

    private static async Task WaitFor(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
            await Task.Delay(20, ct);
    }
}
