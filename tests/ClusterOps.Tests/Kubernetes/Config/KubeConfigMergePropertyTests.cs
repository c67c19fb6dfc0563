using ClusterOps.Kubernetes.Config;
using FsCheck;
using FsCheck.Fluent;

namespace ClusterOps.Tests.Kubernetes.Config;

/// <summary>kubectl's merge rules, checked over random file chains.</summary>
public sealed class KubeConfigMergePropertyTests
{
    // Names differ only in case on purpose: merging must treat them as different stanzas.
    private static readonly string[] Names = { "a", "A", "b", "prod", "Prod" };

    private sealed record FileSpec(string CurrentContext, (string Name, int Tag)[] Users, (string Name, int Tag)[] Contexts);

    private static Gen<FileSpec> FileGen(int index) =>
        from current in Gen.Elements("", "", "a", "prod", "Prod")
        from users in Gen.SubListOf(Names)
        from contexts in Gen.SubListOf(Names)
        select new FileSpec(current, users.Select(n => (n, index)).ToArray(), contexts.Select(n => (n, index)).ToArray());

    private static readonly Gen<FileSpec[]> ChainGen =
        from count in Gen.Choose(1, 4)
        from files in Gen.CollectToArray(Enumerable.Range(0, count), FileGen)
        select files;

    private static string Yaml(FileSpec spec)
    {
        var users = string.Join("\n", spec.Users.Select(u => $"- name: \"{u.Name}\"\n  user: {{token: \"t{u.Tag}\"}}"));
        var contexts = string.Join("\n", spec.Contexts.Select(c => $"- name: \"{c.Name}\"\n  context: {{cluster: c, namespace: \"n{c.Tag}\"}}"));
        return $"current-context: \"{spec.CurrentContext}\"\nusers:\n{users}\ncontexts:\n{contexts}\n";
    }

    [Fact]
    public void FirstDefinitionWinsAndFirstNonEmptyCurrentContextWins()
    {
        Prop.ForAll(ChainGen.ToArbitrary(), files =>
        {
            var parsed = files.Select((f, i) => KubeConfigFile.Parse(Yaml(f), $"/virtual/{i}/config")).ToList();
            var merged = KubeConfig.Merge(parsed);

            var expectedCurrent = files.Select(f => f.CurrentContext).FirstOrDefault(c => c.Length > 0);
            if (merged.CurrentContext != expectedCurrent)
                return false;
            foreach (var name in Names)
            {
                var userOwner = Array.FindIndex(files, f => f.Users.Any(u => u.Name == name));
                var contextOwner = Array.FindIndex(files, f => f.Contexts.Any(c => c.Name == name));
                if (userOwner < 0 ? merged.Users.ContainsKey(name) : merged.Users[name].Token != $"t{userOwner}")
                    return false;
                if (userOwner >= 0 && merged.Users[name].SourceFile != Path.GetFullPath($"/virtual/{userOwner}/config"))
                    return false;
                if (contextOwner < 0 ? merged.Contexts.ContainsKey(name) : merged.Contexts[name].Namespace != $"n{contextOwner}")
                    return false;
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void MergingIsIdempotentForRepeatedFiles()
    {
        Prop.ForAll(ChainGen.ToArbitrary(), files =>
        {
            var parsed = files.Select((f, i) => KubeConfigFile.Parse(Yaml(f), $"/virtual/{i}/config")).ToList();
            var once = KubeConfig.Merge(parsed);
            var twice = KubeConfig.Merge(parsed.Concat(parsed));
            return once.CurrentContext == twice.CurrentContext
                && once.Users.Keys.OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(twice.Users.Keys.OrderBy(k => k, StringComparer.Ordinal))
                && once.Users.All(u => twice.Users[u.Key].Token == u.Value.Token)
                && once.Contexts.All(c => twice.Contexts[c.Key].Namespace == c.Value.Namespace);
        }).QuickCheckThrowOnFailure();
    }
}
