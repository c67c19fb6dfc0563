using ClusterOps.Core.Connection;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes.Config;

namespace ClusterOps.Tests.Core.Connection;

/// <summary>What -Context values select (issue 15), and how a ClusterPair's remote server maps to a local context.</summary>
public sealed class KubeContextSelectionTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"clusterops-select-{Guid.NewGuid():N}.kubeconfig");
    private readonly KubeConfig _config;

    public KubeContextSelectionTests()
    {
        File.WriteAllText(_file, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: eu
              cluster: { server: "https://eu.example:6443" }
            - name: us
              cluster: { server: "https://US.example:6443/" }
            users:
            - name: u
              user: { token: t }
            contexts:
            - name: prod-eu
              context: { cluster: eu, user: u }
            - name: prod-us
              context: { cluster: us, user: u }
            - name: staging
              context: { cluster: eu, user: u }
            - name: "odd[1]"
              context: { cluster: us, user: u }
            current-context: staging
            """);
        _config = KubeConfigLoader.LoadFiles([_file]);
    }

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Wildcards_select_in_file_order_without_duplicates()
    {
        var s = KubeContextSelection.From(_config, ["staging", "prod-*", "*"]);
        Assert.Equal(["staging", "prod-eu", "prod-us", "odd[1]"], s.Contexts);
        Assert.Empty(s.Unknown);
        Assert.Empty(s.EmptyPatterns);
    }

    [Fact]
    public void An_unknown_literal_is_reported_apart_from_a_wildcard_that_matches_nothing()
    {
        var s = KubeContextSelection.From(_config, ["nosuch", "dev-*", "prod-eu"]);
        Assert.Equal(["prod-eu"], s.Contexts);
        Assert.Equal(["nosuch"], s.Unknown);
        Assert.Equal(["dev-*"], s.EmptyPatterns);
    }

    [Fact]
    public void A_context_named_with_wildcard_characters_is_found_by_its_exact_name()
    {
        Assert.Equal(["odd[1]"], KubeContextSelection.From(_config, ["odd[1]"]).Contexts);
    }

    [Fact]
    public void Matching_is_case_sensitive_as_for_every_name()
    {
        var s = KubeContextSelection.From(_config, ["Prod-*", "STAGING"]);
        Assert.Empty(s.Contexts);
        Assert.Equal(["STAGING"], s.Unknown);
        Assert.Equal(["Prod-*"], s.EmptyPatterns);
    }

    [Theory]
    [InlineData("https://eu.example:6443", "prod-eu")]     // first context of that server, in file order
    [InlineData("https://eu.example:6443/", "prod-eu")]    // a trailing slash is the same server
    [InlineData("https://us.example:6443", "prod-us")]     // host names compare without case
    [InlineData("https://eu.example:443", null)]           // another port is another server
    [InlineData("https://remote.example:6443", null)]
    [InlineData(null, null)]
    public void A_pairs_remote_server_names_the_local_context_that_reaches_it(string? server, string? expected)
    {
        Assert.Equal(expected, ClusterPairRemote.LocalContextFor(_config, server));
    }

    [Fact]
    public void The_remote_server_is_read_from_Storks_map_form_and_from_the_file_form()
    {
        var mapForm = System.Text.Json.Nodes.JsonNode.Parse("""
            {"clusters":{"remote":{"server":"https://eu.example:6443"}},"contexts":{"remote":{"cluster":"remote","user":"a"}},"current-context":"remote"}
            """);
        var listForm = System.Text.Json.Nodes.JsonNode.Parse("""
            {"clusters":[{"name":"c","cluster":{"server":"https://us.example:6443"}}],"contexts":[{"name":"x","context":{"cluster":"c"}}],"current-context":"x"}
            """);
        Assert.Equal("https://eu.example:6443", ClusterPairRemote.Server(mapForm));
        Assert.Equal("https://us.example:6443", ClusterPairRemote.Server(listForm));
        Assert.Null(ClusterPairRemote.Server(System.Text.Json.Nodes.JsonNode.Parse("""{"clusters":{}}""")));
    }
}
