using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Tests.Kubernetes.Config;

public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static KubeEnvironment Env(string? kubeconfig = null, string? home = null, Dictionary<string, string>? vars = null, string? saRoot = null) =>
        new(name => name == "KUBECONFIG" ? kubeconfig : vars is not null && vars.TryGetValue(name, out var v) ? v : null,
            home ?? "/nonexistent-home", saRoot ?? "/nonexistent-sa");

    // Three files that disagree about the same names: file1 wins every stanza it defines, whole.
    private const string File1 = """
        apiVersion: v1
        kind: Config
        current-context: ""
        clusters:
        - name: shared
          cluster:
            server: https://one.example:6443
            certificate-authority: ca-one.pem
        users:
        - name: alice
          user:
            token: token-from-file-one
        contexts:
        - name: dev
          context: {cluster: shared, user: alice, namespace: team-one}
        """;

    private const string File2 = """
        current-context: prod
        clusters:
        - name: shared
          cluster:
            server: https://two.example:6443
            insecure-skip-tls-verify: true
        - name: second
          cluster:
            server: https://second.example
            certificate-authority: certs/ca.pem
        users:
        - name: alice
          user:
            tokenFile: tokens/alice
        - name: bob
          user:
            client-certificate: certs/bob.crt
            client-key: certs/bob.key
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: ./bin/helper
              interactiveMode: Never
        contexts:
        - name: dev
          context: {cluster: second, user: bob}
        - name: prod
          context:
            cluster: second
            user: bob
        """;

    private const string File3 = """
        current-context: staging
        clusters:
        - name: third
          cluster: {server: "https://three.example"}
        users:
        - name: bob
          user: {token: bob-three}
        contexts:
        - name: prod
          context: {cluster: third, user: bob, namespace: from-three}
        - name: staging
          context: {cluster: third, user: bob}
        """;

    private (string F1, string F2, string F3) WriteThree()
    {
        var f1 = _dir.Write("one/config", File1);
        var f2 = _dir.Write("two/config", File2);
        var f3 = _dir.Write("three/config", File3);
        return (f1, f2, f3);
    }

    [Fact]
    public void FirstFileWinsEachNamedStanzaWhole()
    {
        var (f1, f2, f3) = WriteThree();
        var config = KubeConfigLoader.Load(environment: Env(string.Join(Path.PathSeparator, f1, f2, f3)));

        Assert.Equal(new[] { f1, f2, f3 }, config.Files);
        var alice = config.Users["alice"];
        Assert.Equal("token-from-file-one", alice.Token);
        Assert.Null(alice.TokenFile); // no field-level merge with file2's alice
        Assert.Equal(f1, alice.SourceFile);
        var shared = config.Clusters["shared"];
        Assert.Equal("https://one.example:6443", shared.Server);
        Assert.False(shared.InsecureSkipTlsVerify);
        Assert.Equal(f2, config.Users["bob"].SourceFile);
        Assert.NotNull(config.Users["bob"].Exec);
        Assert.Equal("team-one", config.Contexts["dev"].Namespace);
        Assert.Equal("shared", config.Contexts["dev"].Cluster);
        Assert.Equal(f2, config.Contexts["prod"].SourceFile);
        Assert.Equal(new[] { "dev", "prod", "staging" }, config.ContextsInOrder.Select(c => c.Name));
    }

    [Fact]
    public void FirstNonEmptyCurrentContextWins()
    {
        var (f1, f2, f3) = WriteThree();
        Assert.Equal("prod", KubeConfigLoader.Load(environment: Env(string.Join(Path.PathSeparator, f1, f2, f3))).CurrentContext);
        Assert.Equal("staging", KubeConfigLoader.Load(environment: Env(string.Join(Path.PathSeparator, f1, f3, f2))).CurrentContext);
    }

    [Fact]
    public void EmptyEntriesAreIgnoredAndMissingFilesSkipped()
    {
        var (f1, _, f3) = WriteThree();
        var missing = _dir.Combine("nope", "config");
        var sep = Path.PathSeparator;
        var config = KubeConfigLoader.Load(environment: Env($"{sep}{f1}{sep}{sep}{missing}{sep} {sep}{f3}{sep}"));
        Assert.Equal(new[] { f1, f3 }, config.Files);
        Assert.Equal("staging", config.CurrentContext);
    }

    [Fact]
    public void RelativePathsResolveAgainstTheFileThatDefinedTheStanza()
    {
        var (f1, f2, _) = WriteThree();
        var config = KubeConfigLoader.Load(environment: Env(string.Join(Path.PathSeparator, f1, f2)));
        var twoDir = Path.GetDirectoryName(f2)!;
        Assert.Equal(Path.Combine(twoDir, "certs", "ca.pem"), config.Clusters["second"].CertificateAuthority);
        Assert.Equal(Path.Combine(twoDir, "certs", "bob.crt"), config.Users["bob"].ClientCertificate);
        Assert.Equal(Path.Combine(twoDir, "certs", "bob.key"), config.Users["bob"].ClientKey);
        Assert.Equal(Path.Combine(twoDir, "bin", "helper"), config.Users["bob"].Exec!.Command);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(f1)!, "ca-one.pem"), config.Clusters["shared"].CertificateAuthority);
    }

    [Fact]
    public void BareExecCommandIsLeftForPathLookup()
    {
        var f = _dir.Write("c", """
            users:
            - name: u
              user:
                exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token, --cluster-name, "my cluster"]}
            """);
        var exec = KubeConfigLoader.Load(f, Env()).Users["u"].Exec!;
        Assert.Equal("aws", exec.Command);
        Assert.Equal(new[] { "eks", "get-token", "--cluster-name", "my cluster" }, exec.Args);
        Assert.Null(exec.InteractiveMode);
    }

    [Fact]
    public void ExplicitPathIsUsedAloneAndMustExist()
    {
        var (f1, f2, _) = WriteThree();
        var config = KubeConfigLoader.Load(f2, Env(f1));
        Assert.Equal(new[] { f2 }, config.Files);
        Assert.Equal("two.example", new Uri(config.Clusters["shared"].Server!).Host);

        var missing = _dir.Combine("missing.yaml");
        var ex = Assert.Throws<KubeConfigNotFoundException>(() => KubeConfigLoader.Load(missing, Env(f1)));
        Assert.Contains(missing, ex.Message);
        Assert.Equal(missing, ex.File);
    }

    [Fact]
    public void HomeConfigIsTheFallback()
    {
        var home = _dir.Combine("home");
        var f = _dir.Write(Path.Combine("home", ".kube", "config"), File3);
        var config = KubeConfigLoader.Load(environment: Env(home: home));
        Assert.Equal(new[] { f }, config.Files);
        Assert.Equal("staging", config.CurrentContext);
    }

    [Fact]
    public void EmptyKubeconfigVariableFallsBackToHome()
    {
        var home = _dir.Combine("home");
        _dir.Write(Path.Combine("home", ".kube", "config"), File3);
        Assert.Equal("staging", KubeConfigLoader.Load(environment: Env(kubeconfig: "", home: home)).CurrentContext);
    }

    [Fact]
    public void ContextNamesAreCaseSensitive()
    {
        var f = _dir.Write("c", """
            clusters: [{name: c, cluster: {server: "https://a"}}]
            contexts:
            - {name: Prod, context: {cluster: c, namespace: upper}}
            - {name: prod, context: {cluster: c, namespace: lower}}
            """);
        var config = KubeConfigLoader.Load(f, Env());
        Assert.Equal("upper", config.Resolve("Prod").Namespace);
        Assert.Equal("lower", config.Resolve("prod").Namespace);
        var ex = Assert.Throws<KubeContextNotFoundException>(() => config.Resolve("PROD"));
        Assert.Contains("'PROD' does not exist", ex.Message);
    }

    [Fact]
    public void NamespaceIsExplicitThenContextThenDefault()
    {
        var (f1, f2, f3) = WriteThree();
        var config = KubeConfigLoader.Load(environment: Env(string.Join(Path.PathSeparator, f1, f2, f3)));
        Assert.Equal("team-one", config.Resolve("dev").Namespace);
        Assert.Equal("override", config.Resolve("dev", "override").Namespace);
        Assert.Equal("default", config.Resolve("staging").Namespace);
        Assert.Equal("default", config.Resolve().Namespace); // prod from file2 has no namespace; file3's prod lost
    }

    [Fact]
    public void FlowMapsNullsAndQuotedScalarsParse()
    {
        var f = _dir.Write("c", """
            apiVersion: v1
            kind: Config
            preferences: {}
            current-context: 'ctx'
            clusters: [{name: "c", cluster: {server: "https://h:6443/k8s/clusters/c-x", certificate-authority-data: null, proxy-url: ~}}]
            users:
            - name: u
              user:
                token: "abc:def"
                as: "admin"
                as-groups: [ops, "sre team"]
                as-user-extra: {scopes: [view, edit]}
            contexts:
            - name: ctx
              context:
                cluster: c
                user: u
                namespace: null
            extensions: []
            """);
        var resolved = KubeConfigLoader.Load(f, Env()).Resolve();
        Assert.Equal("https://h:6443/k8s/clusters/c-x", resolved.Cluster.Server);
        Assert.Null(resolved.Cluster.CertificateAuthorityData);
        Assert.Null(resolved.Cluster.ProxyUrl);
        Assert.Equal("abc:def", resolved.User.Token);
        Assert.Equal(new[] { "ops", "sre team" }, resolved.User.ImpersonateGroups);
        Assert.Equal(new[] { "view", "edit" }, resolved.User.ImpersonateUserExtra["scopes"]);
        Assert.Equal("default", resolved.Namespace);
        Assert.Equal(AuthMethod.Token, resolved.AuthMethod);
    }

    [Fact]
    public void EmptyFileIsAnEmptyConfig()
    {
        var empty = _dir.Write("empty", "");
        var (_, _, f3) = WriteThree();
        var config = KubeConfigLoader.Load(environment: Env(string.Join(Path.PathSeparator, empty, f3)));
        Assert.Equal("staging", config.CurrentContext);
    }

    [Fact]
    public void MalformedFileNamesFileAndLine()
    {
        var (f1, _, _) = WriteThree();
        var bad = _dir.Write("bad/config", "clusters:\n- name: a\n  cluster:\n    server: [unclosed\nusers: []\n");
        var ex = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(environment: Env(string.Join(Path.PathSeparator, f1, bad))));
        Assert.Equal(bad, ex.File);
        Assert.NotNull(ex.Line);
        Assert.Contains(bad, ex.Message);
        Assert.Contains("line", ex.Message);
    }

    [Fact]
    public void WrongShapeNamesFileAndLine()
    {
        var bad = _dir.Write("shape", "clusters:\n  name: a\n");
        var ex = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(bad, Env()));
        Assert.Equal(2, ex.Line);
        Assert.Contains("'clusters' must be a list", ex.Message);
    }

    [Fact]
    public void MissingReferencesAreExplained()
    {
        var f = _dir.Write("c", """
            current-context: a
            contexts:
            - {name: a, context: {cluster: nowhere, user: u}}
            - {name: b, context: {cluster: c, user: ghost}}
            clusters: [{name: c, cluster: {server: "https://h"}}, {name: noserver, cluster: {}}]
            """);
        var config = KubeConfigLoader.Load(f, Env());
        Assert.Contains("cluster 'nowhere'", Assert.Throws<KubeConfigException>(() => config.Resolve()).Message);
        Assert.Contains("user 'ghost'", Assert.Throws<KubeConfigException>(() => config.Resolve("b")).Message);
    }

    [Fact]
    public void NoConfigAnywhereSaysSo()
    {
        var config = KubeConfigLoader.Load(environment: Env());
        Assert.Empty(config.Files);
        var ex = Assert.Throws<KubeConfigNotFoundException>(() => config.Resolve());
        Assert.Contains("No kubeconfig was found", ex.Message);
    }

    [Fact]
    public void InClusterUsesServiceAccountFilesAndEnvironment()
    {
        var sa = _dir.Combine("sa");
        _dir.Write("sa/token", "sa-token\n");
        _dir.Write("sa/ca.crt", "pem");
        _dir.Write("sa/namespace", "apps\n");
        var vars = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "fd00::1", ["KUBERNETES_SERVICE_PORT"] = "443" };
        var config = KubeConfigLoader.Load(environment: Env(vars: vars, saRoot: sa));
        Assert.True(config.IsInCluster);
        var resolved = config.Resolve();
        Assert.Equal("https://[fd00::1]:443", resolved.Cluster.Server);
        Assert.Equal(Path.Combine(sa, "ca.crt"), resolved.Cluster.CertificateAuthority);
        Assert.Equal(Path.Combine(sa, "token"), resolved.User.TokenFile);
        Assert.Equal("apps", resolved.Namespace);
        Assert.Equal("other", config.Resolve(null, "other").Namespace);
        Assert.Equal(AuthMethod.TokenFile, resolved.AuthMethod);
    }

    [Fact]
    public void InClusterNeedsBothVariablesAndAToken()
    {
        var sa = _dir.Combine("sa");
        _dir.Write("sa/token", "t");
        var vars = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1" };
        Assert.False(KubeConfigLoader.Load(environment: Env(vars: vars, saRoot: sa)).IsInCluster);
    }

    [Fact]
    public void KubeconfigBeatsInCluster()
    {
        var sa = _dir.Combine("sa");
        _dir.Write("sa/token", "t");
        var (_, _, f3) = WriteThree();
        var vars = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };
        Assert.False(KubeConfigLoader.Load(environment: Env(f3, vars: vars, saRoot: sa)).IsInCluster);
    }

    [Theory]
    [InlineData("token: a\n    username: b\n    password: c", "more than one authentication method")]
    [InlineData("tokenFile: /t\n    exec: {apiVersion: client.authentication.k8s.io/v1, command: x, interactiveMode: Never}", "more than one authentication method")]
    [InlineData("client-certificate-data: YQ==", "certificate without a client key")]
    public void ConflictingOrIncompleteAuthIsRejected(string userBody, string expected)
    {
        var f = _dir.Write("c", $"users:\n- name: u\n  user:\n    {userBody}\n");
        var user = KubeConfigLoader.Load(f, Env()).Users["u"];
        var ex = Assert.Throws<KubeConfigException>(() => ResolvedContext.ValidateUser(user));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("token: t", AuthMethod.Token)]
    [InlineData("tokenFile: t", AuthMethod.TokenFile)]
    [InlineData("username: u\n    password: p", AuthMethod.Basic)]
    [InlineData("client-certificate: c\n    client-key: k", AuthMethod.ClientCertificate)]
    [InlineData("exec: {apiVersion: client.authentication.k8s.io/v1, command: x, interactiveMode: Never}", AuthMethod.Exec)]
    [InlineData("auth-provider: {name: oidc, config: {id-token: x}}", AuthMethod.OIDC)]
    [InlineData("auth-provider: {name: gcp}", AuthMethod.AuthProvider)]
    [InlineData("{}", AuthMethod.None)]
    public void AuthMethodIsReported(string userBody, AuthMethod expected)
    {
        var f = _dir.Write("c", $"users:\n- name: u\n  user:\n    {userBody}\n");
        Assert.Equal(expected, ResolvedContext.AuthMethodOf(KubeConfigLoader.Load(f, Env()).Users["u"]));
    }
}
