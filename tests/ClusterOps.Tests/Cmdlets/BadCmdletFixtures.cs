using System.Management.Automation;

// Deliberately broken cmdlets compiled into the test assembly (never into the module): each breaks one or more
// rules, and CmdletRulesTests prove the checker reports every one of them.
namespace ClusterOps.Tests.Cmdlets.Fixtures;

public sealed class BadWidgetInfo
{
    public string? Name { get; set; }
}

/// <summary>Unapproved verb, no OutputType, no help page.</summary>
[Cmdlet("Destroy", "BadThing")]
public sealed class DestroyBadThingCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public string? Name { get; set; }
}

/// <summary>Changes state without ShouldProcess; two sets that cannot be told apart and no default; a position clash;
/// two pipeline parameters in one set; an output type with no table view.</summary>
[Cmdlet(VerbsCommon.Remove, "BadWidget")]
[OutputType(typeof(BadWidgetInfo))]
public sealed class RemoveBadWidgetCommand : PSCmdlet
{
    [Parameter(ParameterSetName = "ByName", Position = 0, ValueFromPipeline = true)]
    public string? Name { get; set; }

    [Parameter(ParameterSetName = "ByName", Position = 0, ValueFromPipeline = true)]
    public string? Label { get; set; }

    [Parameter(ParameterSetName = "ById")]
    public string? Id { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }
}

/// <summary>Follows every structural rule: the control that shows the checker is not just always failing.</summary>
[Cmdlet(VerbsCommon.Get, "GoodWidget", DefaultParameterSetName = "ByName")]
[OutputType(typeof(BadWidgetInfo))]
public sealed class GetGoodWidgetCommand : PSCmdlet
{
    [Parameter(ParameterSetName = "ByName", Position = 0)]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = "ById", Mandatory = true)]
    public string? Id { get; set; }
}
