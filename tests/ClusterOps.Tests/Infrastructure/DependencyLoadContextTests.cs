using System.Reflection;
using System.Runtime.Loader;
using ClusterOps.Kubernetes.Input;
using ClusterOps.Loader;

namespace ClusterOps.Tests.Infrastructure;

public sealed class DependencyLoadContextTests
{
    [Fact]
    public void Shipped_dependencies_load_into_the_private_context_not_the_default_one()
    {
        var folder = Directory.CreateTempSubdirectory("clusterops-deps-").FullName;
        try
        {
            var yaml = typeof(YamlDotNet.Serialization.Deserializer).Assembly;
            File.Copy(yaml.Location, Path.Combine(folder, "YamlDotNet.dll"));
            var context = new DependencyLoadContext(folder);

            var loaded = context.TryLoad(new AssemblyName("YamlDotNet"));

            Assert.NotNull(loaded);
            Assert.Same(context, AssemblyLoadContext.GetLoadContext(loaded));
            Assert.NotSame(yaml, loaded);
            Assert.Null(context.TryLoad(new AssemblyName("Not.Shipped.Here")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A module folder's dependencies/ as published: the engine and YamlDotNet, copied from the build.</summary>
    private static string PublishedDependencies()
    {
        var folder = Directory.CreateTempSubdirectory("clusterops-module-").FullName;
        foreach (var assembly in new[] { typeof(BoundedYaml).Assembly, typeof(ClusterOps.Core.Common.IOperationContext).Assembly, typeof(YamlDotNet.Core.Parser).Assembly })
            File.Copy(assembly.Location, Path.Combine(folder, Path.GetFileName(assembly.Location)));
        return folder;
    }

    [Fact]
    public void The_default_context_is_served_our_engine_but_never_our_third_party_assemblies()
    {
        var folder = PublishedDependencies();
        var context = new DependencyLoadContext(folder);

        var engine = ModuleAssemblyInitializer.Resolve(context, new AssemblyName("ClusterOps.Kubernetes"));

        Assert.NotNull(engine);
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(engine));
        Assert.Equal(Path.Combine(folder, "ClusterOps.Kubernetes.dll"), engine.Location);
        // Present in the folder, yet refused: handing our YamlDotNet to the default context would give it to every
        // other module whose own resolution failed, which is the conflict the shim exists to prevent.
        Assert.True(File.Exists(Path.Combine(folder, "YamlDotNet.dll")));
        Assert.Null(ModuleAssemblyInitializer.Resolve(context, new AssemblyName("YamlDotNet")));
        Assert.Null(ModuleAssemblyInitializer.Resolve(context, new AssemblyName("Newtonsoft.Json")));
    }

    [Fact]
    public void The_engine_binds_to_our_YamlDotNet_while_the_same_version_is_loaded_from_another_path()
    {
        // This process has YamlDotNet 16 loaded in the default context from the test output folder: exactly what a
        // module that preloaded "the same version from another path" leaves behind. Before the shim, the engine sat
        // in the default context and bound to that copy.
        var preloaded = typeof(YamlDotNet.Core.Parser).Assembly;
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(preloaded));
        var folder = PublishedDependencies();
        var context = new DependencyLoadContext(folder);

        var engine = ModuleAssemblyInitializer.Resolve(context, new AssemblyName("ClusterOps.Kubernetes"))!;
        var parse = engine.GetType(typeof(BoundedYaml).FullName!, throwOnError: true)!
            .GetMethod(nameof(BoundedYaml.Parse), [typeof(string), typeof(string), typeof(string)])!;
        var documents = (System.Collections.ICollection)parse.Invoke(null, ["a: [1, 2]\n", "test", "YAML input"])!;

        Assert.Single(documents); // the private engine really parsed YAML, so it bound a YamlDotNet
        var ours = Assert.Single(context.Assemblies, a => a.GetName().Name == "YamlDotNet");
        Assert.Equal(Path.Combine(folder, "YamlDotNet.dll"), ours.Location);
        Assert.NotSame(preloaded, ours);
        Assert.Equal(preloaded.GetName().Version, ours.GetName().Version);
        Assert.DoesNotContain(context.Assemblies, a => a.GetName().Name == "System.Management.Automation");
    }

    [Fact]
    public void The_loader_references_nothing_of_ours_so_pwsh_can_import_it_before_the_engine_resolves()
    {
        // pwsh reads every type of an imported assembly before running its initializer; the loader must be readable
        // with ClusterOps.Core and ClusterOps.Kubernetes still out of reach under dependencies/.
        var references = typeof(ModuleAssemblyInitializer).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, r => r.StartsWith("ClusterOps.", StringComparison.Ordinal) || r == "YamlDotNet");
        var manifest = File.ReadAllText(RepoPaths.Manifest);
        Assert.Matches(@"NestedModules\s*=\s*@\('ClusterOps\.Loader\.dll'\)", manifest);
        Assert.Matches(@"RootModule\s*=\s*'ClusterOps\.Cmdlets\.dll'", manifest);
    }
}
