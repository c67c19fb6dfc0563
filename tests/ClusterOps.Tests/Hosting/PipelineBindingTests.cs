using ClusterOps.Core.Scheduling;
using ClusterOps.Sandbox;

namespace ClusterOps.Tests.Hosting;

/// <summary>A Stork sandbox and a hosted runspace: pipelines run exactly as a user types them.</summary>
public sealed class HostedStorkFixture : IAsyncLifetime
{
    public ModuleRunspace PowerShell { get; } = new();
    public SandboxServer Sandbox { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { Scenario = "stork", ReadyDelay = TimeSpan.FromMilliseconds(200) });

    public async Task DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        PowerShell.Dispose();
    }
}

public sealed class PipelineBindingTests(HostedStorkFixture f) : IClassFixture<HostedStorkFixture>
{
    private const string BadPolicy = """
        apiVersion: stork.libopenstorage.org/v1alpha1
        kind: SchedulePolicy
        metadata:
          name: bad
        policy:
          daily:
            time: 10:14 PM
          weekly:
            day: SUN
            time: 10:13PM
        """;

    [Fact]
    public void Get_SchedulePolicy_piped_to_Test_SchedulePolicy_checks_every_policy()
    {
        var policies = f.PowerShell.Invoke("Get-SchedulePolicy -KubeConfig $args[0]", f.Sandbox.KubeConfigPath);
        Assert.Empty(policies.Errors);
        Assert.NotEmpty(policies.Output);

        var verdicts = f.PowerShell.Invoke("Get-SchedulePolicy -KubeConfig $args[0] | Test-SchedulePolicy -Quiet", f.Sandbox.KubeConfigPath);
        Assert.Empty(verdicts.Errors);
        Assert.Equal(policies.Output.Count, verdicts.Output.Count);
        Assert.All(verdicts.Objects, v => Assert.True((bool)v));
    }

    [Fact]
    public void A_policy_object_and_a_file_from_Get_ChildItem_each_bind_to_their_own_parameter()
    {
        var file = Path.Combine(Path.GetTempPath(), $"clusterops-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, BadPolicy);
        try
        {
            var policy = SchedulePolicyInfo.From(SchedulePolicyYaml.LoadFile(file)[0], file);
            var fromObject = f.PowerShell.Invoke("$args[0] | Test-SchedulePolicy", policy);
            var fromFile = f.PowerShell.Invoke("Get-Item -LiteralPath $args[0] | Test-SchedulePolicy", file);
            var positional = f.PowerShell.Invoke("Test-SchedulePolicy $args[0]", file);

            Assert.Empty(fromObject.Errors);
            Assert.Empty(fromFile.Errors);
            Assert.Equal(2, fromObject.Objects.OfType<SchedulePolicyProblem>().Count(p => p.Severity == SchedulePolicySeverity.Error));
            Assert.Equal(2, fromFile.Objects.OfType<SchedulePolicyProblem>().Count(p => p.Severity == SchedulePolicySeverity.Error));
            Assert.Equal(2, positional.Objects.OfType<SchedulePolicyProblem>().Count(p => p.Severity == SchedulePolicySeverity.Error));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
