using System.Management.Automation;

namespace ClusterOps.Tests.Hosting;

/// <summary>The conventions PowerShell users expect, checked in a live runspace against every exported cmdlet.</summary>
public sealed class ConventionTests(HostedStorkFixture f) : IClassFixture<HostedStorkFixture>
{
    private List<CmdletInfo> Exported() =>
        f.PowerShell.Invoke("Get-Command -Module ClusterOps -CommandType Cmdlet").Objects.Cast<CmdletInfo>().ToList();

    [Fact]
    public void Every_Namespace_parameter_has_the_alias_n_and_every_AllNamespaces_the_alias_A()
    {
        var missing = new List<string>();
        foreach (var cmdlet in Exported())
        {
            if (cmdlet.Parameters.TryGetValue("Namespace", out var ns) && !ns.Aliases.Contains("n"))
                missing.Add($"{cmdlet.Name} -Namespace has no alias -n");
            if (cmdlet.Parameters.TryGetValue("AllNamespaces", out var all) && !all.Aliases.Contains("A"))
                missing.Add($"{cmdlet.Name} -AllNamespaces has no alias -A");
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void The_short_aliases_bind_like_kubectl_flags()
    {
        var byAlias = f.PowerShell.Invoke("Get-MigrationSchedule -n mysql -KubeConfig $args[0]; Get-ClusterPair -A -KubeConfig $args[0]", f.Sandbox.KubeConfigPath);
        Assert.Empty(byAlias.Errors);
        var byName = f.PowerShell.Invoke("Get-MigrationSchedule -Namespace mysql -KubeConfig $args[0]; Get-ClusterPair -AllNamespaces -KubeConfig $args[0]", f.Sandbox.KubeConfigPath);
        Assert.Equal(byName.Output.Count, byAlias.Output.Count);
        Assert.NotEmpty(byAlias.Output);
    }

    private List<string> Complete(string line) =>
        f.PowerShell.Invoke("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches.CompletionText", line)
            .Objects.Select(o => o.ToString()!).ToList();

    [Fact]
    public void Kinds_weekdays_claim_names_and_positional_context_names_complete()
    {
        Assert.Equal(new[] { "Migration", "MigrationSchedule" }, Complete("Get-KubeEvent -Kind migr"));
        Assert.Equal(new[] { "Thur", "Thurs", "Thursday", "thur", "thurs", "thursday" }, Complete("New-SchedulePolicy -WeeklyDay thur").Order(StringComparer.Ordinal));

        var context = f.PowerShell.Invoke("(Get-KubeContext -KubeConfig $args[0]).Name", f.Sandbox.KubeConfigPath).Objects.Cast<string>().Single();
        Assert.Contains(context, Complete($"Use-KubeContext -KubeConfig '{f.Sandbox.KubeConfigPath}' {context[..2]}"));

        var claims = f.PowerShell.Invoke("(Get-PersistentVolumeClaim -Namespace mysql -KubeConfig $args[0]).Name", f.Sandbox.KubeConfigPath).Objects.Cast<string>().ToList();
        Assert.NotEmpty(claims);
        Assert.Equal(claims.Order(StringComparer.Ordinal),
            Complete($"Start-ApiManagerRestore -Name r -KubeConfig '{f.Sandbox.KubeConfigPath}' -Namespace mysql -ClaimName ").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Kind_is_matched_in_any_case_like_kubectl_resource_types_and_an_unknown_kind_is_refused_before_a_request()
    {
        var anyCase = f.PowerShell.Invoke("Get-KubeEvent -Kind MIGRATIONSCHEDULE -Name nosuch -Namespace mysql -KubeConfig $args[0]", f.Sandbox.KubeConfigPath);
        Assert.Empty(anyCase.Errors);

        var unknown = Assert.Single(f.PowerShell.Invoke("Get-KubeEvent -Kind Migrations -Name x -Namespace mysql -KubeConfig $args[0]",
            f.Sandbox.KubeConfigPath).Errors);
        Assert.Equal("KubeEventKindUnknown,ClusterOps.Cmdlets.Scheduling.GetKubeEventCommand", unknown.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, unknown.CategoryInfo.Category);
    }
}
