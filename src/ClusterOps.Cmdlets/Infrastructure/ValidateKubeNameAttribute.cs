using System.Management.Automation;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>Which of Kubernetes' name rules a parameter follows.</summary>
public enum KubeNameRule
{
    /// <summary>DNS-1123 subdomain: the names of most kinds (claims, volumes, Stork and 3scale objects).</summary>
    Subdomain,

    /// <summary>DNS-1123 label: namespaces.</summary>
    Namespace,

    /// <summary>Any kind's name (e.g. the object an event is about): a safe path segment.</summary>
    AnyKind,
}

/// <summary>
/// Refuses, at parameter binding (so -WhatIf refuses too), a name or namespace that is not valid for its kind: "." and
/// ".." above all, which URL normalisation would turn into the whole collection. With
/// <see cref="AllowWildcards"/> a pattern with wildcards passes: it is matched here and never sent.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateKubeNameAttribute : ValidateArgumentsAttribute
{
    public ValidateKubeNameAttribute(KubeNameRule rule = KubeNameRule.Subdomain) => Rule = rule;

    public KubeNameRule Rule { get; }

    /// <summary>Set on parameters marked [SupportsWildcards].</summary>
    public bool AllowWildcards { get; set; }

    /// <summary>
    /// Null means "not given" (a cluster-scoped object piped by property name has a null Namespace): PowerShell's
    /// enumerated-argument base would refuse it, so the elements are enumerated here.
    /// </summary>
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject ps ? ps.BaseObject : arguments;
        if (value is System.Collections.IEnumerable many and not string)
        {
            foreach (var element in many)
            {
                if (element is not null)
                    ValidateElement(element);
            }
        }
        else if (value is not null)
        {
            ValidateElement(value);
        }
    }

    private void ValidateElement(object element)
    {
        var value = element is PSObject ps ? ps.BaseObject : element;
        if (value is not string text)
            return; // an object bound by property (e.g. a policy object) is checked where its name is read
        if (Fleet.PipelineContext.IsBindingFromContext(text))
            return; // a piped kubeconfig context's name: taken back before use, never sent as an object name
        if (AllowWildcards && NamePattern.ContainsWildcards(text))
        {
            if (PatternProblem(text) is { } patternProblem)
                throw new ValidationMetadataException(KubeNames.Message(text, "name pattern", patternProblem, "A pattern may use * ? [ ] with the characters of a name."));
            return;
        }
        var literal = AllowWildcards ? NamePattern.Unescape(text) : text;
        var (problem, rule, what) = Rule switch
        {
            KubeNameRule.Namespace => (KubeNames.LabelProblem(literal), KubeNames.LabelRule, "namespace"),
            KubeNameRule.AnyKind => (KubeNames.PathSegmentProblem(literal), "A name may not be '.' or '..', and may contain only letters, digits, '-', '.', '_' and ':'.", "name"),
            _ => (KubeNames.SubdomainProblem(literal), KubeNames.SubdomainRule, "name"),
        };
        if (problem is not null)
            throw new ValidationMetadataException(KubeNames.Message(literal, what, problem, rule));
    }

    /// <summary>A wildcard pattern is never sent, but a character no name can hold means a typo: say so.</summary>
    private static string? PatternProblem(string pattern)
    {
        foreach (var c in pattern)
        {
            if (c is '/' or '%' || char.IsControl(c) || char.IsWhiteSpace(c))
                return "it contains a character that no name can hold";
        }
        return null;
    }
}
