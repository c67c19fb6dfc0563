using System.Globalization;
using System.Text;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Kubernetes.Resources;

/// <summary>
/// Kubernetes' name rules, in one place for the client layer and the cmdlets' parameter validation.
/// The client refuses anything that is not a safe path segment before a request is built; the cmdlets check the
/// stricter rule of the kind (DNS-1123 subdomain or label) at parameter binding, so -WhatIf refuses too.
/// </summary>
public static class KubeNames
{
    /// <summary>The longest object name the API server accepts (DNS-1123 subdomain).</summary>
    public const int MaxNameLength = 253;

    /// <summary>The longest namespace (DNS-1123 label).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// The client layer's rule for an object name sent in a path: what the API server accepts as a path segment
    /// ("may not be '.'", "may not be '..'", no '/', no '%'), narrowed to the printable ASCII that any kind's name
    /// rule allows (letters, digits, '-', '.', '_', ':'), at most 253 characters. Null when valid, else why not.
    /// </summary>
    public static string? PathSegmentProblem(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "it is empty";
        if (value is "." or "..")
            return $"it may not be '{value}'";
        if (value.Length > MaxNameLength)
            return $"it is {value.Length.ToString(CultureInfo.InvariantCulture)} characters long, and at most {MaxNameLength.ToString(CultureInfo.InvariantCulture)} are allowed";
        foreach (var c in value)
        {
            if (c is '/' or '%')
                return $"it may not contain '{c}'";
            if (!(IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':'))
                return $"it contains {Describe(c)}, and only letters, digits, '-', '.', '_' and ':' are allowed";
        }
        return null;
    }

    /// <summary>
    /// DNS-1123 subdomain, the rule of most kinds' names: lower-case letters, digits, '-' and '.', starting and ending
    /// with a letter or digit, at most 253 characters.
    /// </summary>
    public static string? SubdomainProblem(string? value)
    {
        if (PathSegmentProblem(value) is { } segment)
            return segment;
        foreach (var label in value!.Split('.'))
        {
            if (label.Length == 0)
                return "it has an empty part between dots";
            if (LabelCharactersProblem(label) is { } problem)
                return problem;
        }
        return null;
    }

    /// <summary>DNS-1123 label, the rule of namespaces: like a subdomain part, without dots, at most 63 characters.</summary>
    public static string? LabelProblem(string? value)
    {
        if (PathSegmentProblem(value) is { } segment)
            return segment;
        if (value!.Length > MaxLabelLength)
            return $"it is {value.Length.ToString(CultureInfo.InvariantCulture)} characters long, and at most {MaxLabelLength.ToString(CultureInfo.InvariantCulture)} are allowed";
        return LabelCharactersProblem(value);
    }

    public static bool IsSubdomain(string? value) => SubdomainProblem(value) is null;

    public static bool IsLabel(string? value) => LabelProblem(value) is null;

    /// <summary>Throws <see cref="KubeNameException"/> unless <paramref name="name"/> is a safe path segment.</summary>
    public static void EnsurePathSegment(string? name, string what, string paramName)
    {
        if (PathSegmentProblem(name) is { } problem)
            throw Refused(name, what, problem, paramName);
    }

    /// <summary>Throws <see cref="KubeNameException"/> unless <paramref name="ns"/> is a valid namespace.</summary>
    public static void EnsureNamespace(string? ns, string paramName)
    {
        if (LabelProblem(ns) is { } problem)
            throw Refused(ns, "namespace", problem, paramName);
    }

    /// <summary>The message every layer uses, so the user reads the same words from the client and from binding.</summary>
    public static string Message(string? value, string what, string problem, string rule) =>
        $"The {what} {Quote(value)} is not valid: {problem}. {rule}";

    internal const string SegmentRule =
        "A name is sent as one segment of the request URL, so it may not be '.' or '..' and may not contain '/' or '%'.";

    public const string SubdomainRule =
        "A name must consist of lower-case letters, digits, '-' and '.', start and end with a letter or digit, and be at most 253 characters (DNS-1123 subdomain).";

    public const string LabelRule =
        "A namespace must consist of lower-case letters, digits and '-', start and end with a letter or digit, and be at most 63 characters (DNS-1123 label).";

    private static KubeNameException Refused(string? value, string what, string problem, string paramName) =>
        new(Message(value, what, problem, what == "namespace" ? LabelRule : SegmentRule), paramName, value);

    private static string? LabelCharactersProblem(string label)
    {
        foreach (var c in label)
        {
            if (c is >= 'A' and <= 'Z')
                return $"it contains the upper-case letter '{c}'";
            if (!(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                return $"it contains {Describe(c)}";
        }
        if (label[0] == '-' || label[^1] == '-')
            return "it must start and end with a letter or digit";
        return null;
    }

    private static bool IsAsciiLetterOrDigit(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    private static string Describe(char c) => c switch
    {
        ' ' => "a space",
        '\r' => "a carriage return",
        '\n' => "a line feed",
        '\t' => "a tab",
        _ when char.IsControl(c) || char.IsWhiteSpace(c) || c > '~' =>
            "the character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
        _ => $"'{c}'",
    };

    /// <summary>Quote a refused value for a message: control characters escaped, long values shortened.</summary>
    private static string Quote(string? value)
    {
        if (value is null)
            return "(null)";
        var sb = new StringBuilder("'");
        foreach (var c in value.Length > 64 ? value[..64] : value)
            sb.Append(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString());
        if (value.Length > 64)
            sb.Append("...");
        return sb.Append('\'').ToString();
    }
}
