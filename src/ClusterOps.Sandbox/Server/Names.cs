using System.Text.RegularExpressions;

namespace ClusterOps.Sandbox.Server;

/// <summary>The apimachinery name rules, with their exact error wording.</summary>
internal static partial class Names
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label1035();

    public const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public const string Label1035Message =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    public enum Rule { Subdomain, Label, Label1035 }

    /// <summary>Returns the problems with a name under a rule (empty when valid).</summary>
    public static IEnumerable<string> Check(string name, Rule rule)
    {
        switch (rule)
        {
            case Rule.Label:
                if (name.Length > 63) yield return "must be no more than 63 characters";
                if (!Label().IsMatch(name)) yield return LabelMessage;
                break;
            case Rule.Label1035:
                if (name.Length > 63) yield return "must be no more than 63 characters";
                if (!Label1035().IsMatch(name)) yield return Label1035Message;
                break;
            default:
                if (name.Length > 253) yield return "must be no more than 253 characters";
                if (!Subdomain().IsMatch(name)) yield return SubdomainMessage;
                break;
        }
    }

    public static bool IsLabelValue(string v) => v.Length <= 63 && LabelValue().IsMatch(v);

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The 5-character random suffix the server appends for generateName.</summary>
    public static string RandomSuffix(int length = 5)
    {
        Span<char> c = stackalloc char[length];
        for (var i = 0; i < length; i++) c[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        return new string(c);
    }
}
