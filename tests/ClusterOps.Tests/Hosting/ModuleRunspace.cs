using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ClusterOps.Tests.Hosting;

/// <summary>What one script run in the hosted runspace produced.</summary>
public sealed record PowerShellResult(IReadOnlyList<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, IReadOnlyList<WarningRecord> Warnings)
{
    /// <summary>The output's base objects, for type checks.</summary>
    public IReadOnlyList<object> Objects => Output.Select(o => o.BaseObject).ToList();
}

/// <summary>
/// A real PowerShell 7.6 runspace (Microsoft.PowerShell.SDK) with ClusterOps imported exactly as a user imports it:
/// through its manifest, so the exports, the format file, parameter binding and error records are PowerShell's own,
/// not a reading of our attributes. The manifest is the one the test build lays out next to the test assembly
/// (the same ClusterOps.Cmdlets.dll the other tests load, so there is never a second copy in the process); a
/// different module folder, for example the published out/ClusterOps, can be named with CLUSTEROPS_MODULE.
/// Share one per test class (IClassFixture); scripts run one at a time.
/// </summary>
public sealed class ModuleRunspace : IDisposable
{
    private readonly Runspace _runspace;
    private readonly Lock _gate = new();

    public ModuleRunspace()
    {
        ManifestPath = Environment.GetEnvironmentVariable("CLUSTEROPS_MODULE") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(AppContext.BaseDirectory, "ClusterOps.psd1");
        if (!File.Exists(ManifestPath))
            throw new FileNotFoundException($"ClusterOps module manifest not found at {ManifestPath}", ManifestPath);

        var state = InitialSessionState.CreateDefault2();
        // Tests must never prompt: a host without UI turns any prompt into an error the test sees.
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        var import = Invoke("Import-Module -Name $args[0] -PassThru -ErrorAction Stop", ManifestPath);
        Module = (PSModuleInfo)import.Objects.Single();
    }

    public string ManifestPath { get; }

    public PSModuleInfo Module { get; }

    /// <summary>Runs a script (positional arguments arrive as $args) and collects its output and error streams.
    /// A terminating error throws, as it would end a script; non-terminating ones are in Errors.</summary>
    public PowerShellResult Invoke(string script, params object?[] arguments)
    {
        lock (_gate)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            foreach (var argument in arguments)
                ps.AddArgument(argument);
            Collection<PSObject> output = ps.Invoke();
            return new PowerShellResult(output.Where(o => o is not null).ToList(), ps.Streams.Error.ToList(), ps.Streams.Warning.ToList());
        }
    }

    /// <summary>Runs a script with named variables set first (Set-Variable), for values a script reads by name.</summary>
    public PowerShellResult InvokeWith(IDictionary variables, string script)
    {
        lock (_gate)
        {
            foreach (DictionaryEntry v in variables)
                _runspace.SessionStateProxy.SetVariable((string)v.Key, v.Value);
        }
        return Invoke(script);
    }

    public void Dispose() => _runspace.Dispose();
}
