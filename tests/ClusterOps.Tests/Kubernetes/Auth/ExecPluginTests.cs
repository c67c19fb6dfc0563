using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Resources;
using ClusterOps.Tests.Kubernetes.Http;
using Microsoft.AspNetCore.Http;

namespace ClusterOps.Tests.Kubernetes.Auth;

/// <summary>Exec credential plugins, run as real processes (small sh scripts).</summary>
public sealed class ExecPluginTests : HttpTestBase
{
    private static Task Ok(HttpContext c) =>
        TestApiServer.Json(c, 200, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns1"}}""");

    /// <summary>
    /// A plugin that counts its runs in a file, prints token "tok-N" (N = run number), saves its argv and
    /// KUBERNETES_EXEC_INFO, and writes a line to stderr.
    /// </summary>
    private string Plugin(string apiVersion, string expiry = "", string name = "plugin.sh")
    {
        var state = Dir.Combine("state");
        Directory.CreateDirectory(state);
        var expiryField = expiry.Length == 0 ? "" : ",\"expirationTimestamp\":\"" + expiry + "\"";
        var output = "{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"tok-%s\"" + expiryField + "}}";
        var script = string.Join("\n",
            "#!/bin/sh",
            $"n=$(cat '{state}/runs' 2>/dev/null || echo 0)",
            "n=$((n+1))",
            $"echo $n > '{state}/runs'",
            $"printf '%s\\n' \"$@\" > '{state}/args'",
            $"printf '%s' \"$KUBERNETES_EXEC_INFO\" > '{state}/info'",
            $"printf '%s' \"$PLUGIN_ENV\" > '{state}/env'",
            "echo 'plugin diagnostic line' >&2",
            $"printf '{output}' \"$n\"",
            "");
        var path = Dir.Write("bin/" + name, script);
        MakeExecutable(path);
        return path;
    }

    internal static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private int Runs => int.Parse(File.ReadAllText(Dir.Combine("state", "runs")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static string ExecUser(string apiVersion, string command, string extra = "") => $"""
        exec:
          apiVersion: {apiVersion}
          command: {command}
          args: ["--cluster", "my cluster", "$(not a shell)"]
          env: [{"{"}name: PLUGIN_ENV, value: from-kubeconfig{"}"}]
          interactiveMode: Never
          provideClusterInfo: true
        {extra}
        """;

    [UnixTheory]
    [InlineData("client.authentication.k8s.io/v1")]
    [InlineData("client.authentication.k8s.io/v1beta1")]
    public async Task TokenFromPluginIsCachedAndArgvEnvAndExecInfoArePassed(string apiVersion)
    {
        await using var server = await TestApiServer.StartAsync(Ok);
        Plugin(apiVersion);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine + "\nextensions: [{name: client.authentication.k8s.io/exec, extension: {audience: sandbox}}]",
            ExecUser(apiVersion, "./bin/plugin.sh")));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Equal(1, Runs); // no expiry: cached for the life of the connection
        Assert.All(server.Requests, r => Assert.Equal("Bearer tok-1", r.Authorization));
        Assert.Equal("--cluster\nmy cluster\n$(not a shell)\n", File.ReadAllText(Dir.Combine("state", "args")));
        Assert.Equal("from-kubeconfig", File.ReadAllText(Dir.Combine("state", "env")));
        var info = JsonNode.Parse(File.ReadAllText(Dir.Combine("state", "info")))!;
        Assert.Equal("ExecCredential", (string?)info["kind"]);
        Assert.Equal(apiVersion, (string?)info["apiVersion"]);
        Assert.False((bool)info["spec"]!["interactive"]!);
        Assert.Equal(server.BaseUrl, (string?)info["spec"]!["cluster"]!["server"]);
        Assert.Equal(server.Pki.CaBase64, (string?)info["spec"]!["cluster"]!["certificate-authority-data"]);
        Assert.Equal("sandbox", (string?)info["spec"]!["cluster"]!["config"]!["audience"]);
        Assert.Contains(Verbose, v => v.Contains("plugin diagnostic line", StringComparison.Ordinal));
        Assert.DoesNotContain("tok-1", AllLogText);
    }

    [UnixFact]
    public async Task ExpiredCredentialIsRefreshedAndA401ReRunsOnce()
    {
        var accepted = "tok-1";
        await using var server = await TestApiServer.StartAsync(c => c.Request.Headers.Authorization.FirstOrDefault() == "Bearer " + Volatile.Read(ref accepted)
            ? Ok(c)
            : TestApiServer.Json(c, 401, TestApiServer.StatusJson(401, "Unauthorized", "Unauthorized")));
        Plugin("client.authentication.k8s.io/v1", expiry: "2000-01-01T00:00:00Z");
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, ExecUser("client.authentication.k8s.io/v1", "./bin/plugin.sh")));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Equal(1, Runs);
        Volatile.Write(ref accepted, "tok-2");
        await client.GetAsync(KubeResources.Pods, "ns1", "p"); // already expired: runs again before sending
        Assert.Equal(2, Runs);
        Assert.Equal("Bearer tok-2", server.Requests.Last().Authorization);

        // The server revokes tok-3's predecessor: a 401 makes the plugin run again once, then the request succeeds.
        Volatile.Write(ref accepted, "tok-4");
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Equal(4, Runs);
        Assert.Equal(new[] { "Bearer tok-3", "Bearer tok-4" }, server.Requests.TakeLast(2).Select(r => r.Authorization));

        // Still rejected after the one re-run: the 401 surfaces.
        Volatile.Write(ref accepted, "never");
        await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(KubeResources.Pods, "ns1", "p"));
        Assert.Equal(6, Runs);
    }

    [UnixFact]
    public async Task ApiVersionMismatchIsRejected()
    {
        await using var server = await TestApiServer.StartAsync(Ok);
        Plugin("client.authentication.k8s.io/v1beta1");
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, ExecUser("client.authentication.k8s.io/v1", "./bin/plugin.sh")));
        var ex = await Assert.ThrowsAsync<KubeAuthException>(() => client.GetAsync(KubeResources.Pods, "ns1", "p"));
        Assert.Contains("apiVersion 'client.authentication.k8s.io/v1beta1'", ex.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task MissingCommandShowsInstallHint()
    {
        await using var server = await TestApiServer.StartAsync(Ok);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine,
            ExecUser("client.authentication.k8s.io/v1", "clusterops-no-such-plugin", "  installHint: Install it with 'brew install example-auth'.")));
        var ex = await Assert.ThrowsAsync<KubeAuthException>(() => client.GetAsync(KubeResources.Pods, "ns1", "p"));
        Assert.Contains("clusterops-no-such-plugin", ex.Message);
        Assert.Contains("brew install example-auth", ex.Message);
    }

    [Fact]
    public async Task InteractiveAlwaysFailsFastWithoutAConsole()
    {
        await using var server = await TestApiServer.StartAsync(Ok);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, """
            exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/true, interactiveMode: Always}
            """));
        var ex = await Assert.ThrowsAsync<KubeAuthException>(() => client.GetAsync(KubeResources.Pods, "ns1", "p"));
        Assert.Contains("interactive terminal", ex.Message);
    }

    [Fact]
    public async Task V1WithoutInteractiveModeIsRejected()
    {
        await using var server = await TestApiServer.StartAsync(Ok);
        var ex = Assert.Throws<KubeAuthException>(() => ClientFor(server.KubeConfig(server.CaDataLine,
            "exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/true}")));
        Assert.Contains("interactiveMode", ex.Message);
    }

    [UnixFact]
    public async Task HangingPluginIsBoundedByTheTimeout()
    {
        await using var server = await TestApiServer.StartAsync(Ok);
        var path = Dir.Write("bin/hang.sh", "#!/bin/sh\nsleep 30\n");
        MakeExecutable(path);
        var options = FastOptions() with { Credentials = new() { ExecTimeout = TimeSpan.FromMilliseconds(500) } };
        using var client = ClientFor(server.KubeConfig(server.CaDataLine,
            $"exec: {{apiVersion: client.authentication.k8s.io/v1beta1, command: {path}}}"), options);
        var ex = await Assert.ThrowsAsync<KubeAuthException>(() => client.GetAsync(KubeResources.Pods, "ns1", "p"));
        Assert.Contains("did not finish within", ex.Message);
    }

    [UnixFact]
    public async Task RenewedPluginCertificateIsPresentedOnNewConnectionsAfterA401()
    {
        var accepted = "CN=exec-cert-1";
        await using var server = await TestApiServer.StartAsync(c =>
            c.Connection.ClientCertificate?.Subject.StartsWith(Volatile.Read(ref accepted) + ",", StringComparison.Ordinal) == true
                ? Ok(c)
                : TestApiServer.Json(c, 401, TestApiServer.StatusJson(401, "Unauthorized", "Unauthorized")));
        for (var i = 1; i <= 2; i++)
        {
            var (cert, key) = server.Pki.Client($"exec-cert-{i}");
            Dir.Write($"cred-{i}.json", new JsonObject
            {
                ["apiVersion"] = "client.authentication.k8s.io/v1",
                ["kind"] = "ExecCredential",
                ["status"] = new JsonObject { ["clientCertificateData"] = cert, ["clientKeyData"] = key },
            }.ToJsonString());
        }
        var counter = Dir.Combine("runs");
        var path = Dir.Write("bin/certs.sh", string.Join("\n",
            "#!/bin/sh",
            $"n=$(cat '{counter}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{counter}'",
            $"cat '{Dir.Path}/cred-'$n'.json'",
            ""));
        MakeExecutable(path);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine,
            $"exec: {{apiVersion: client.authentication.k8s.io/v1, command: {path}, interactiveMode: Never}}"));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Volatile.Write(ref accepted, "CN=exec-cert-2");
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        var subjects = server.Requests.Select(r => r.ClientCertificateSubject!.Split(',')[0]).ToArray();
        Assert.Equal(new[] { "CN=exec-cert-1", "CN=exec-cert-1", "CN=exec-cert-2" }, subjects);
        Assert.Contains(Verbose, v => v.Contains("client certificate was renewed", StringComparison.Ordinal));
    }

    [UnixFact]
    public async Task CertificateFromPluginIsUsedForTls()
    {
        await using var server = await TestApiServer.StartAsync(Ok);
        var (cert, key) = server.Pki.Client("exec-cert-user");
        var json = new JsonObject
        {
            ["apiVersion"] = "client.authentication.k8s.io/v1beta1",
            ["kind"] = "ExecCredential",
            ["status"] = new JsonObject { ["clientCertificateData"] = cert, ["clientKeyData"] = key },
        }.ToJsonString();
        Dir.Write("cred.json", json);
        var path = Dir.Write("bin/cert.sh", $"#!/bin/sh\ncat '{Dir.Combine("cred.json")}'\n");
        MakeExecutable(path);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, $"exec: {{apiVersion: client.authentication.k8s.io/v1beta1, command: {path}}}"));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Contains("CN=exec-cert-user", server.Requests.Single().ClientCertificateSubject);
    }
}
