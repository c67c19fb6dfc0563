using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace ClusterOps.Loader;

/// <summary>
/// The "ALC shim" of PowerShell's guide to dependency conflicts
/// (https://learn.microsoft.com/powershell/scripting/dev-cross-plat/resolving-dependency-conflicts), made to fit how
/// pwsh imports a binary module. Only ClusterOps.Loader.dll and ClusterOps.Cmdlets.dll sit in the module folder and
/// load in the default context; ClusterOps.Core, ClusterOps.Kubernetes and YamlDotNet live under dependencies/
/// and load in <see cref="DependencyLoadContext"/>. When the cmdlet assembly needs Core or Kubernetes the default
/// context cannot find them and asks <see cref="ResolveEngine"/>, which hands over the copies loaded in our context;
/// from then on our context resolves their own references (YamlDotNet) from dependencies/ first. So a YamlDotNet
/// another module loaded, of the same or any other version, from any path, is never bound to ours, nor ours to theirs.
/// <para>
/// Why a separate assembly: pwsh reads every type of a module's assembly (to find cmdlets) before it runs that
/// assembly's initializer, and the cmdlet types implement and use Core types; with Core out of the module folder
/// that read fails ("Could not load file or assembly 'ClusterOps.Core'") unless the handler is already in place.
/// The manifest lists this assembly in NestedModules, which pwsh imports (running this initializer) before the
/// RootModule. Registering the handler reads no file and makes no network call.
/// </para>
/// </summary>
public sealed class ModuleAssemblyInitializer : IModuleAssemblyInitializer
{
    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>The module's private context over &lt;module folder&gt;/dependencies.</summary>
    internal static DependencyLoadContext Dependencies { get; } = new(
        Path.Combine(Path.GetDirectoryName(typeof(ModuleAssemblyInitializer).Assembly.Location) ?? ".", "dependencies"));

    public void OnImport()
    {
        // Import-Module -Force imports again in the same process: one handler is enough.
        lock (Gate)
        {
            if (_registered)
                return;
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
            _registered = true;
        }
    }

    /// <summary>
    /// Serve only our own assemblies (ClusterOps.*) to the default context. Third-party assemblies in dependencies/
    /// are resolved inside our context alone; serving them here would hand our YamlDotNet to any other module whose
    /// own resolution failed.
    /// </summary>
    internal static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) => Resolve(Dependencies, name);

    internal static Assembly? Resolve(DependencyLoadContext dependencies, AssemblyName name) =>
        IsEngine(name) ? dependencies.TryLoad(name) : null;

    internal static bool IsEngine(AssemblyName name) =>
        name.Name is { } n && n.StartsWith("ClusterOps.", StringComparison.Ordinal);
}

/// <summary>The module's private load context over one folder. Only names present in the folder are served.</summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _folder;

    public DependencyLoadContext(string folder) : base("ClusterOps.Dependencies", isCollectible: false) => _folder = folder;

    public string Folder => _folder;

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
        // Anything not shipped in dependencies/ (System.*, netstandard, System.Management.Automation) comes from the
        // default context, where the host loaded it.
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
