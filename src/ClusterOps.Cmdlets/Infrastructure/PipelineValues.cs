using System.Collections;
using System.Management.Automation;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>Strips PowerShell's wrappers from parameter values before they reach Core, which knows no PSObject.</summary>
public static class PipelineValues
{
    /// <summary>A copy of the hashtable whose values are the objects PowerShell wrapped (Get-Date gives a PSObject).</summary>
    public static Hashtable? Unwrap(Hashtable? table)
    {
        if (table is null)
            return null;
        var copy = new Hashtable(table.Count, StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in table)
            copy[entry.Key] = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
        return copy;
    }
}
