using System.Reflection;
using System.Runtime.Loader;
using ClusterOps.Cmdlets.Infrastructure;

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
}
