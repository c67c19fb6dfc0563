using System.Management.Automation;
using System.Reflection;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>
/// Keeps <c>[ClusterOps.Core.Lifecycle.ClusterComponentInfo]</c> and every other public type of the engine usable in
/// scripts (<c>-is</c>, casts, static calls, <c>Should -BeOfType</c>, the help examples). ClusterOps.Core and
/// ClusterOps.Kubernetes load in the module's own AssemblyLoadContext (see ClusterOps.Loader), and PowerShell resolves
/// type names only in the default context ("assemblies loaded in any custom load context are not visible to
/// PowerShell"), so without this the output objects keep their types but scripts can no longer name them.
/// Each public type is registered as a type accelerator under its full name: the documented way for a module to
/// make a type nameable, and the same lookup PowerShell uses for [int] or [pscustomobject]. Runs when the cmdlet
/// assembly is imported (after ClusterOps.Loader, whose resolver must already be in place); reads no file and
/// makes no network call: it only enumerates types of assemblies that the import has already loaded.
/// </summary>
public sealed class EngineTypeNames : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static readonly List<string> Registered = new();

    public void OnImport() => Register();

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            if (Accelerators() is not { } accelerators)
                return;
            var remove = accelerators.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, [typeof(string)]);
            foreach (var name in Registered)
                remove?.Invoke(null, [name]);
            Registered.Clear();
        }
    }

    /// <summary>The engine's public types, registered by full name. Returns how many were added.</summary>
    internal static int Register()
    {
        lock (Gate)
        {
            // System.Management.Automation.TypeAccelerators is internal to PowerShell but has been stable since
            // Windows PowerShell 3 and is what modules use for this; when absent (the SMA reference stub used by
            // xunit, or a future PowerShell) nothing is registered and objects still carry their type names.
            if (Accelerators() is not { } accelerators)
                return 0;
            var add = accelerators.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(Type)]);
            var existing = accelerators.GetProperty("Get", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as IDictionary<string, Type>;
            if (add is null || existing is null)
                return 0;
            var added = 0;
            foreach (var type in EngineTypes())
            {
                var name = type.FullName!;
                // Never replace a name someone else registered (another module, or [int]-style builtins).
                if (existing.ContainsKey(name))
                    continue;
                add.Invoke(null, [name, type]);
                Registered.Add(name);
                added++;
            }
            return added;
        }
    }

    internal static IEnumerable<Type> EngineTypes() =>
        new[] { typeof(IOperationContext).Assembly, typeof(KubeSession).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t.FullName is not null && !t.IsGenericTypeDefinition);

    private static Type? Accelerators() => typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
}
