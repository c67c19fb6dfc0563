using System.Text;
using System.Text.RegularExpressions;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.Storage;

public enum SelectorOperator { Equals, NotEquals, In, NotIn, Exists, DoesNotExist, GreaterThan, LessThan }

/// <summary>One requirement of a label selector, e.g. <c>tier in (db,cache)</c>.</summary>
public sealed record SelectorRequirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        string? value = null;
        var has = labels is not null && labels.TryGetValue(Key, out value);
        return Operator switch
        {
            SelectorOperator.Equals or SelectorOperator.In => has && Values.Contains(value!, StringComparer.Ordinal),
            SelectorOperator.NotEquals or SelectorOperator.NotIn => !has || !Values.Contains(value!, StringComparer.Ordinal),
            SelectorOperator.Exists => has,
            SelectorOperator.DoesNotExist => !has,
            SelectorOperator.GreaterThan => has && long.TryParse(value, out var g) && g > long.Parse(Values[0]),
            SelectorOperator.LessThan => has && long.TryParse(value, out var l) && l < long.Parse(Values[0]),
            _ => false,
        };
    }

    public override string ToString() => Operator switch
    {
        SelectorOperator.Equals => $"{Key}={Values[0]}",
        SelectorOperator.NotEquals => $"{Key}!={Values[0]}",
        SelectorOperator.In => $"{Key} in ({string.Join(",", Values)})",
        SelectorOperator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
        SelectorOperator.Exists => Key,
        SelectorOperator.DoesNotExist => $"!{Key}",
        SelectorOperator.GreaterThan => $"{Key}>{Values[0]}",
        SelectorOperator.LessThan => $"{Key}<{Values[0]}",
        _ => Key,
    };
}

/// <summary>
/// A label selector in kubectl's -l syntax (apimachinery labels.Parse): <c>app=web,tier!=cache,env in (a,b),
/// !legacy,release</c>. Parsing validates keys and values as the API server would, so a typo fails here with a clear
/// message instead of as a 400 from the server; <see cref="ToString"/> is the canonical form sent as labelSelector.
/// </summary>
public sealed class LabelSelector
{
    private static readonly Regex NamePart = new("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$", RegexOptions.CultureInvariant);
    private static readonly Regex DnsSubdomain = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant);

    private LabelSelector(IReadOnlyList<SelectorRequirement> requirements) => Requirements = requirements;

    public static LabelSelector Everything { get; } = new(Array.Empty<SelectorRequirement>());

    public IReadOnlyList<SelectorRequirement> Requirements { get; }
    public bool IsEmpty => Requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string>? labels) => Requirements.All(r => r.Matches(labels));

    /// <summary>Canonical text: requirements sorted by key, set values sorted, <c>==</c> written as <c>=</c>.</summary>
    public override string ToString() => string.Join(",", Requirements.Select(r => r.ToString()));

    /// <summary>Parse, throwing <see cref="OperationException"/> (InvalidLabelSelector) on bad syntax.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Everything;
        var tokens = Tokenize(text);
        var requirements = new List<SelectorRequirement>();
        var i = 0;
        while (i < tokens.Count)
        {
            requirements.Add(ParseRequirement(text, tokens, ref i));
            if (i < tokens.Count)
            {
                if (tokens[i] != ",")
                    throw Invalid(text, $"expected ',' after '{requirements[^1]}' but found '{tokens[i]}'");
                i++;
                if (i == tokens.Count)
                    throw Invalid(text, "a requirement is missing after the last ','");
            }
        }
        return new LabelSelector(requirements
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToList());
    }

    public static bool TryParse(string? text, out LabelSelector selector, out string? error)
    {
        try
        {
            selector = Parse(text);
            error = null;
            return true;
        }
        catch (OperationException ex)
        {
            selector = Everything;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>
    /// Check a label map given as a hashtable (-Selector @{ tier = 'db' }) as kubectl checks the labels of a selector:
    /// each key a qualified name (optional DNS-subdomain prefix and '/'), each value empty or at most 63 alphanumerics
    /// with '-', '_', '.' inside. Throws InvalidLabelSelector naming the parameter and the first bad entry.
    /// </summary>
    public static void ValidateLabels(IReadOnlyDictionary<string, string>? labels, string parameterName)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (!IsValidKey(key))
                throw new OperationException("InvalidLabelSelector", FailureKind.InvalidArgument,
                    $"{parameterName}: '{key}' is not a valid label key: a name of at most 63 characters (alphanumerics and '-', '_', '.', starting and ending alphanumeric), with an optional DNS-subdomain prefix and '/'.", key);
            if (!IsValidValue(value))
                throw new OperationException("InvalidLabelSelector", FailureKind.InvalidArgument,
                    $"{parameterName}: '{value}' (label '{key}') is not a valid label value: empty, or at most 63 characters (alphanumerics and '-', '_', '.', starting and ending alphanumeric).", value);
        }
    }

    /// <summary>Build a selector that matches exactly these labels (app=x,tier=y).</summary>
    public static LabelSelector FromLabels(IEnumerable<KeyValuePair<string, string>> labels) =>
        Parse(string.Join(",", labels.Select(kv => $"{kv.Key}={kv.Value}")));

    private static SelectorRequirement ParseRequirement(string text, List<string> tokens, ref int i)
    {
        if (tokens[i] == "!")
        {
            i++;
            var negated = ExpectKey(text, tokens, ref i);
            return new SelectorRequirement(negated, SelectorOperator.DoesNotExist, Array.Empty<string>());
        }
        var key = ExpectKey(text, tokens, ref i);
        if (i == tokens.Count || tokens[i] == ",")
            return new SelectorRequirement(key, SelectorOperator.Exists, Array.Empty<string>());

        var op = tokens[i++];
        switch (op)
        {
            case "=" or "==" or "!=":
            {
                var value = i < tokens.Count && !IsOperatorToken(tokens[i]) ? tokens[i++] : "";
                ValidateValue(text, key, value);
                return new SelectorRequirement(key, op == "!=" ? SelectorOperator.NotEquals : SelectorOperator.Equals, new[] { value });
            }
            case ">" or "<":
            {
                if (i == tokens.Count || IsOperatorToken(tokens[i]) || !long.TryParse(tokens[i], out _))
                    throw Invalid(text, $"'{key}{op}' needs an integer value");
                var value = tokens[i++];
                return new SelectorRequirement(key, op == ">" ? SelectorOperator.GreaterThan : SelectorOperator.LessThan, new[] { value });
            }
            case "in" or "notin":
            {
                if (i == tokens.Count || tokens[i] != "(")
                    throw Invalid(text, $"'{key} {op}' must be followed by a parenthesised list of values, e.g. ({key} {op} (a,b))");
                i++;
                var values = new SortedSet<string>(StringComparer.Ordinal);
                var expectValue = true;
                while (true)
                {
                    if (i == tokens.Count)
                        throw Invalid(text, $"the value list of '{key} {op}' is missing its closing ')'");
                    var t = tokens[i++];
                    if (t == ")")
                    {
                        if (expectValue && values.Count > 0)
                            throw Invalid(text, $"the value list of '{key} {op}' ends with ','");
                        break;
                    }
                    if (t == ",")
                    {
                        if (expectValue)
                            values.Add("");
                        expectValue = true;
                        continue;
                    }
                    if (IsOperatorToken(t) || !expectValue)
                        throw Invalid(text, $"unexpected '{t}' in the value list of '{key} {op}'");
                    ValidateValue(text, key, t);
                    values.Add(t);
                    expectValue = false;
                }
                if (values.Count == 0)
                    throw Invalid(text, $"'{key} {op}' needs at least one value");
                return new SelectorRequirement(key, op == "in" ? SelectorOperator.In : SelectorOperator.NotIn, values.ToList());
            }
            default:
                throw Invalid(text, $"expected an operator (=, ==, !=, in, notin, >, <) after '{key}' but found '{op}'");
        }
    }

    private static string ExpectKey(string text, List<string> tokens, ref int i)
    {
        if (i == tokens.Count || IsOperatorToken(tokens[i]))
            throw Invalid(text, i == tokens.Count ? "a label key is missing at the end" : $"expected a label key but found '{tokens[i]}'");
        var key = tokens[i++];
        ValidateKey(text, key);
        return key;
    }

    private static bool IsOperatorToken(string t) => t is "!" or "=" or "==" or "!=" or "(" or ")" or "," or "<" or ">";

    /// <summary>A label key: optional DNS-subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static bool IsValidKey(string key)
    {
        var slash = key.IndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0 || prefix.Length > 253 || !DnsSubdomain.IsMatch(prefix))
                return false;
        }
        return name.Length is > 0 and <= 63 && NamePart.IsMatch(name);
    }

    /// <summary>A label value: empty, or at most 63 alphanumerics with '-', '_', '.' inside.</summary>
    public static bool IsValidValue(string value) => value.Length == 0 || (value.Length <= 63 && NamePart.IsMatch(value));

    private static void ValidateKey(string text, string key)
    {
        if (!IsValidKey(key))
            throw Invalid(text, $"'{key}' is not a valid label key (an optional DNS subdomain prefix and '/', then 1-63 characters: letters, digits, '-', '_', '.', beginning and ending with a letter or digit)");
    }

    private static void ValidateValue(string text, string key, string value)
    {
        if (!IsValidValue(value))
            throw Invalid(text, $"'{value}' is not a valid value for label '{key}' (at most 63 characters: letters, digits, '-', '_', '.', beginning and ending with a letter or digit)");
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c is '!' or '=')
            {
                if (i + 1 < text.Length && text[i + 1] == '=')
                {
                    tokens.Add(c == '!' ? "!=" : "==");
                    i += 2;
                }
                else
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                continue;
            }
            if (c is '(' or ')' or ',' or '<' or '>')
            {
                tokens.Add(c.ToString());
                i++;
                continue;
            }
            var sb = new StringBuilder();
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('!' or '=' or '(' or ')' or ',' or '<' or '>'))
                sb.Append(text[i++]);
            tokens.Add(sb.ToString());
        }
        return tokens;
    }

    private static OperationException Invalid(string text, string why) =>
        new("InvalidLabelSelector", FailureKind.InvalidArgument, $"Invalid label selector '{text}': {why}.", text)
        {
            RecommendedAction = "Use kubectl's -l syntax, e.g. 'app=web,tier!=cache', 'env in (prod,staging)', '!legacy'.",
        };
}
