using System.Numerics;

namespace ClusterOps.Core.Backup;

/// <summary>
/// A Kubernetes resource quantity (apimachinery resource.ParseQuantity):
/// <c>[+-] digits [. digits] suffix</c>, where suffix is a binary SI unit (Ki Mi Gi Ti Pi Ei), a decimal SI unit
/// (n u m "" k M G T P E) or a decimal exponent (e/E followed by a signed integer). Case matters: "1K", "1gi" and
/// "1 Gi" are invalid, "1E" is 10^18 and "1E3" is 1000. Unlike Go, at least one digit is required (Go reads a
/// lone "+" or "." as zero, which no size we accept could be anyway).
/// </summary>
public sealed class KubeQuantity
{
    private static readonly Dictionary<string, (int Base, int Exponent)> Suffixes = new(StringComparer.Ordinal)
    {
        ["Ki"] = (2, 10), ["Mi"] = (2, 20), ["Gi"] = (2, 30), ["Ti"] = (2, 40), ["Pi"] = (2, 50), ["Ei"] = (2, 60),
        ["n"] = (10, -9), ["u"] = (10, -6), ["m"] = (10, -3), [""] = (10, 0),
        ["k"] = (10, 3), ["M"] = (10, 6), ["G"] = (10, 9), ["T"] = (10, 12), ["P"] = (10, 15), ["E"] = (10, 18),
    };

    private KubeQuantity(string text, bool negative, string integerDigits, string fractionDigits, int suffixBase, int suffixExponent)
    {
        Text = text;
        Negative = negative;
        _integer = integerDigits;
        _fraction = fractionDigits;
        _base = suffixBase;
        _exponent = suffixExponent;
    }

    private readonly string _integer;
    private readonly string _fraction;
    private readonly int _base;
    private readonly int _exponent;

    /// <summary>The quantity exactly as written (what we send to the API server).</summary>
    public string Text { get; }
    public bool Negative { get; }
    public bool IsZero => (_integer + _fraction).All(c => c == '0');
    public bool IsPositive => !Negative && !IsZero;

    public override string ToString() => Text;

    public static bool TryParse(string? text, out KubeQuantity quantity)
    {
        quantity = null!;
        if (string.IsNullOrEmpty(text))
            return false;
        int pos = 0, end = text.Length;
        bool negative = false;
        if (text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            pos++;
        }
        int intStart = pos;
        while (pos < end && char.IsAsciiDigit(text[pos]))
            pos++;
        var integer = text[intStart..pos];
        var fraction = "";
        if (pos < end && text[pos] == '.')
        {
            int fracStart = ++pos;
            while (pos < end && char.IsAsciiDigit(text[pos]))
                pos++;
            fraction = text[fracStart..pos];
        }
        if (integer.Length + fraction.Length == 0)
            return false;
        if (!TryInterpretSuffix(text[pos..], out var suffixBase, out var exponent))
            return false;
        quantity = new KubeQuantity(text, negative, integer, fraction, suffixBase, exponent);
        return true;
    }

    private static bool TryInterpretSuffix(string suffix, out int suffixBase, out int exponent)
    {
        if (Suffixes.TryGetValue(suffix, out var known))
        {
            (suffixBase, exponent) = known;
            return true;
        }
        suffixBase = 10;
        exponent = 0;
        if (suffix.Length < 2 || suffix[0] is not ('e' or 'E'))
            return false;
        var digits = suffix.AsSpan(1);
        if (digits[0] is '+' or '-')
            digits = digits[1..];
        if (digits.Length == 0 || !digits.ToString().All(char.IsAsciiDigit))
            return false;
        // Exponents beyond int range cannot describe any storage size; Go rejects them as out of range too.
        return int.TryParse(suffix.AsSpan(1), System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out exponent);
    }

    /// <summary>
    /// The value in base units (bytes for storage), rounded up to a whole unit as Quantity.Value() does. False when
    /// the value is too large to be meaningful (more than 10^30).
    /// </summary>
    public bool TryGetValue(out BigInteger value)
    {
        value = BigInteger.Zero;
        var mantissa = BigInteger.Parse("0" + _integer + _fraction, System.Globalization.CultureInfo.InvariantCulture);
        int scale10 = -_fraction.Length;
        BigInteger numerator = mantissa, denominator = BigInteger.One;
        if (_base == 2)
            numerator *= BigInteger.Pow(2, _exponent);
        else
            scale10 += _exponent;
        if (scale10 > 40)
            return false;
        if (scale10 >= 0)
            numerator *= BigInteger.Pow(10, scale10);
        else if (scale10 < -400)
            denominator = BigInteger.Pow(10, 400); // far below one unit: rounds up to 1 (or 0)
        else
            denominator = BigInteger.Pow(10, -scale10);
        var whole = BigInteger.DivRem(numerator, denominator, out var remainder);
        if (!remainder.IsZero)
            whole += 1;
        if (whole > BigInteger.Pow(10, 30))
            return false;
        value = Negative ? -whole : whole;
        return true;
    }
}
