using System.Text.RegularExpressions;

namespace ClusterOps.Core.Backup;

/// <summary>Kubernetes object-name rules (apimachinery validation.IsDNS1123Label / IsDNS1123Subdomain).</summary>
public static partial class KubeNames
{
    public const int LabelMaxLength = 63;
    public const int SubdomainMaxLength = 253;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SubdomainPattern();

    public static bool IsDns1123Label(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= LabelMaxLength && LabelPattern().IsMatch(value);

    public static bool IsDns1123Subdomain(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= SubdomainMaxLength && SubdomainPattern().IsMatch(value);
}
