using System.Text.Json.Nodes;

namespace ClusterOps.Core.Common;

/// <summary>
/// An output record built from one Kubernetes object. The record's public properties are flat values that tables,
/// Export-Csv and ConvertTo-Json handle (design rule 9); the object itself is offered only through this interface's
/// method, which records implement explicitly, so that no System.Text.Json node ever appears as a property of an
/// output object. (A method, not a property: PowerShell 7 adapts explicitly implemented interface properties as
/// properties, and Export-Csv then wrote the whole JSON into one cell.) The cmdlet layer (ClusterOps.Cmdlets.Infrastructure.PipelineOutput) turns it into PowerShell data: an
/// <c>Object</c> property holding the PSCustomObject tree ConvertFrom-Json would give for the same JSON.
/// </summary>
public interface IKubeObjectRecord
{
    /// <summary>The object as read (credentials already redacted where the record says so). Read it; do not change it.</summary>
    JsonObject ToKubeObject();
}
