using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using ClusterOps.Bench.Infrastructure;

namespace ClusterOps.Bench.Scenarios;

/// <summary>
/// Scenario 5: what Import-Module plus the first cmdlet call cost us, in a fresh process without pwsh: load
/// ClusterOps.Cmdlets.dll from the module folder, find the cmdlet types by their [Cmdlet] attribute (as the module
/// loader does), run the IModuleAssemblyInitializer (of ClusterOps.Loader, imported first), then create the first cmdlet with its parameter metadata.
/// System.Management.Automation is the stub here (pwsh has the real one loaded before any module).
/// </summary>
public static class ModuleLoad
{
    public const string FirstCmdlet = "ClusterOps.Cmdlets.Storage.GetPersistentVolumeClaimCommand";

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        var folder = settings.ModuleDirectory ?? DefaultFolder();
        var results = new List<JsonObject>();
        for (var i = 0; i < settings.ModuleLoadChildren; i++)
            results.Add(await ChildProcess.RunAsync(TimeSpan.FromMinutes(1), "moduleload", folder));
        // The first child may pay for a cold disk cache; that is not the module's cost, so the median is reported.
        var load = Stats.Median(results.Select(r => r["loadMs"]!.GetValue<double>()).ToList());
        var max = results.Max(r => r["loadMs"]!.GetValue<double>());
        var process = Stats.Median(results.Select(r => r["processMs"]!.GetValue<double>()).ToList());
        var first = results[0];
        table.Add(new ResultRow("5 module load cold", Stats.Ms(load), $"process start {Stats.Ms(process)}", "-", "-", "<= 150 ms",
            load <= 150 ? Verdict.Pass : Verdict.Miss,
            $"median of {results.Count} fresh processes (max {Stats.Ms(max)}); {first["cmdlets"]} cmdlet types, {first["assemblies"]} assemblies loaded by it; from {folder}; 'process start' = runtime start to Main, not ours"));
    }

    /// <summary>out/ClusterOps when build.ps1 has published it, else the bench's own output (same assemblies).</summary>
    private static string DefaultFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "ClusterOps.sln"))) continue;
            var published = Path.Combine(dir.FullName, "out", "ClusterOps");
            return File.Exists(Path.Combine(published, "ClusterOps.Cmdlets.dll")) ? published : AppContext.BaseDirectory;
        }
        return AppContext.BaseDirectory;
    }

    public static int Child(string folder)
    {
        var processMs = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        var before = AppDomain.CurrentDomain.GetAssemblies().Length;
        var sw = Stopwatch.StartNew();

        var context = new ModuleFolderContext(folder);
        // As pwsh does: the manifest's NestedModules (ClusterOps.Loader, whose initializer registers the engine
        // resolver) first, then the RootModule.
        var loaderPath = Path.Combine(folder, "ClusterOps.Loader.dll");
        var entries = File.Exists(loaderPath) ? new[] { context.LoadFromAssemblyPath(loaderPath) } : [];
        foreach (var init in entries.SelectMany(a => a.GetExportedTypes()).Where(t => t.GetInterface("System.Management.Automation.IModuleAssemblyInitializer") is not null))
            init.GetMethod("OnImport")!.Invoke(Activator.CreateInstance(init), null);
        var assembly = context.LoadFromAssemblyPath(Path.Combine(folder, "ClusterOps.Cmdlets.dll"));
        var cmdlets = assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute"))
            .ToList();

        var first = assembly.GetType(FirstCmdlet, throwOnError: true)!;
        RuntimeHelpers.RunClassConstructor(first.TypeHandle);
        var instance = Activator.CreateInstance(first)!;
        // The parameter binder builds its metadata from the attributes of every public property.
        var parameters = 0;
        foreach (var property in first.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttributes(inherit: true).Length == 0) continue;
            parameters++;
            _ = property.GetValue(instance);
        }
        _ = first.GetCustomAttributes(inherit: true);
        var loadMs = sw.Elapsed.TotalMilliseconds;

        if (cmdlets.Count == 0 || parameters == 0) throw new InvalidOperationException("no cmdlets or parameters found");
        ChildProcess.Report(new JsonObject
        {
            ["loadMs"] = loadMs,
            ["processMs"] = processMs,
            ["cmdlets"] = cmdlets.Count,
            ["parameters"] = parameters,
            ["assemblies"] = AppDomain.CurrentDomain.GetAssemblies().Length - before,
        });
        return 0;
    }
}

/// <summary>
/// The module's assemblies come from its folder (entry assemblies) and its dependencies/ (engine, YamlDotNet), not
/// from the bench's own dependency list; only System.Management.Automation (and the framework) come from the host,
/// as under pwsh.
/// </summary>
internal sealed class ModuleFolderContext(string folder) : AssemblyLoadContext("ClusterOps.ModuleUnderTest")
{
    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name is null or "System.Management.Automation") return null;
        foreach (var dir in new[] { folder, Path.Combine(folder, "dependencies") })
        {
            var path = Path.Combine(dir, name.Name + ".dll");
            if (File.Exists(path)) return LoadFromAssemblyPath(path);
        }
        return null;
    }
}
