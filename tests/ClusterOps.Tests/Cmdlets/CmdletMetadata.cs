using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Reflection;

namespace ClusterOps.Tests.Cmdlets;

/// <summary>One [Parameter] attribute of one property.</summary>
public sealed record ParameterDeclaration(
    string Name,
    string ParameterSet,
    bool Mandatory,
    int Position,
    bool ValueFromPipeline,
    bool ValueFromPipelineByPropertyName,
    bool DontShow = false);

/// <summary>
/// A cmdlet's declared metadata, read with CustomAttributeData so that deliberately broken fixture cmdlets (which the
/// engine would refuse to load) can be checked too. Hosting/LiveCmdletMetadataTests checks this reading against
/// PowerShell's own Get-Command.
/// </summary>
public sealed record CmdletMetadata(
    Type Type,
    string Verb,
    string Noun,
    bool SupportsShouldProcess,
    string? ConfirmImpact,
    string? DefaultParameterSet,
    IReadOnlyList<Type> OutputTypes,
    IReadOnlyList<ParameterDeclaration> Parameters)
{
    public const string AllSets = "__AllParameterSets";

    public string Name => $"{Verb}-{Noun}";

    /// <summary>Declared parameters, plus -WhatIf and -Confirm when the cmdlet supports ShouldProcess (PowerShell adds
    /// them, and PlatyPS documents them like any other parameter). DontShow parameters (the base class's catch-all
    /// PipelineInput) are plumbing that help and syntax leave out.</summary>
    public IEnumerable<string> ParameterNames =>
        Parameters.Where(p => !p.DontShow).Select(p => p.Name)
            .Concat(SupportsShouldProcess ? new[] { "WhatIf", "Confirm" } : Array.Empty<string>())
            .Distinct(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> ParameterSets =>
        Parameters.Select(p => p.ParameterSet).Where(s => s != AllSets).Distinct().ToList() is { Count: > 0 } sets
            ? sets
            : new List<string> { AllSets };

    public static CmdletMetadata? Read(Type type)
    {
        var cmdlet = CustomAttributeData.GetCustomAttributes(type)
            .FirstOrDefault(a => a.AttributeType == typeof(CmdletAttribute));
        if (cmdlet is null)
            return null;

        string? Named(string name) =>
            cmdlet.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value?.ToString()).FirstOrDefault();

        var confirmImpact = cmdlet.NamedArguments.Where(n => n.MemberName == nameof(CmdletAttribute.ConfirmImpact))
            .Select(n => Enum.GetName(typeof(ConfirmImpact), n.TypedValue.Value!)).FirstOrDefault();

        return new CmdletMetadata(
            type,
            (string)cmdlet.ConstructorArguments[0].Value!,
            (string)cmdlet.ConstructorArguments[1].Value!,
            string.Equals(Named(nameof(CmdletAttribute.SupportsShouldProcess)), "True", StringComparison.OrdinalIgnoreCase),
            confirmImpact,
            Named(nameof(CmdletAttribute.DefaultParameterSetName)),
            ReadOutputTypes(type),
            ReadParameters(type));
    }

    private static IReadOnlyList<Type> ReadOutputTypes(Type type)
    {
        var types = new List<Type>();
        foreach (var attr in CustomAttributeData.GetCustomAttributes(type).Where(a => a.AttributeType == typeof(OutputTypeAttribute)))
        {
            foreach (var arg in attr.ConstructorArguments)
            {
                switch (arg.Value)
                {
                    case Type t:
                        types.Add(t);
                        break;
                    case ReadOnlyCollection<CustomAttributeTypedArgument> many:
                        types.AddRange(many.Select(m => m.Value).OfType<Type>());
                        break;
                }
            }
        }
        return types;
    }

    private static IReadOnlyList<ParameterDeclaration> ReadParameters(Type type)
    {
        var result = new List<ParameterDeclaration>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            foreach (var attr in CustomAttributeData.GetCustomAttributes(property).Where(a => a.AttributeType == typeof(ParameterAttribute)))
            {
                T Get<T>(string name, T fallback) =>
                    attr.NamedArguments.Where(n => n.MemberName == name).Select(n => (T)n.TypedValue.Value!).DefaultIfEmpty(fallback).First();

                result.Add(new ParameterDeclaration(
                    property.Name,
                    Get(nameof(ParameterAttribute.ParameterSetName), AllSets),
                    Get(nameof(ParameterAttribute.Mandatory), false),
                    Get(nameof(ParameterAttribute.Position), int.MinValue),
                    Get(nameof(ParameterAttribute.ValueFromPipeline), false),
                    Get(nameof(ParameterAttribute.ValueFromPipelineByPropertyName), false),
                    Get(nameof(ParameterAttribute.DontShow), false)));
            }
        }
        return result;
    }
}
