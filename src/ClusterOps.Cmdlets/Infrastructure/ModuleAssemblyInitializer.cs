using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>
/// Loads the module's third-party assemblies (dependencies/*.dll) into a private AssemblyLoadContext, so a
/// different YamlDotNet loaded by another module can never be bound to ours, nor ours to theirs. Runs at import
/// and only registers a handler: no file is read and no network call is made until a cmdlet needs it.
/// </summary>
public sealed class ModuleAssemblyInitializer : IModuleAssemblyInitializer
{
    private static readonly DependencyLoadContext Dependencies = new(
        Path.Combine(Path.GetDirectoryName(typeof(ModuleAssemblyInitializer).Assembly.Location) ?? ".", "dependencies"));

    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveFromDependencies;

    private static Assembly? ResolveFromDependencies(AssemblyLoadContext context, AssemblyName name) =>
        Dependencies.TryLoad(name);
}

/// <summary>The module's private load context over one folder. Only names present in the folder are served.</summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _folder;

    public DependencyLoadContext(string folder) : base("ClusterOps.Dependencies", isCollectible: false) => _folder = folder;

    public Assembly? TryLoad(AssemblyName name)
    {
        if (name.Name is null)
            return null;
        var path = Path.Combine(_folder, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyName(name) : null;
    }

    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name is null)
            return null;
        var path = Path.Combine(_folder, name.Name + ".dll");
        // Anything not shipped in dependencies/ (System.*, netstandard) comes from the default context.
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
