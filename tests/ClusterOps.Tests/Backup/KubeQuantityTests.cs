using ClusterOps.Kubernetes.Resources;
using System.Numerics;
using ClusterOps.Core.Backup;
using FsCheck;
using FsCheck.Fluent;

namespace ClusterOps.Tests.Backup;

public sealed class KubeQuantityTests
{
    [Theory]
    [InlineData("10Gi", "10737418240")]
    [InlineData("500Mi", "524288000")]
    [InlineData("1Ki", "1024")]
    [InlineData("1Ei", "1152921504606846976")]
    [InlineData("2G", "2000000000")]
    [InlineData("1k", "1000")]
    [InlineData("1E", "1000000000000000000")]
    [InlineData("1E3", "1000")]
    [InlineData("1e3", "1000")]
    [InlineData("1e+3", "1000")]
    [InlineData("1.5Gi", "1610612736")]
    [InlineData("+5", "5")]
    [InlineData("5.", "5")]
    [InlineData(".5Ki", "512")]
    [InlineData("100m", "1")] // 0.1 rounds up to one unit, as Quantity.Value() does
    [InlineData("1500m", "2")]
    [InlineData("1e-3", "1")]
    [InlineData("0", "0")]
    [InlineData("123456789", "123456789")]
    public void Parses_valid_quantities_to_their_value(string text, string expected)
    {
        Assert.True(KubeQuantity.TryParse(text, out var q), text);
        Assert.True(q.TryGetValue(out var value));
        Assert.Equal(BigInteger.Parse(expected), value);
        Assert.Equal(text, q.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Gi")]
    [InlineData("10GB")]
    [InlineData("10gi")]
    [InlineData("10K")]
    [InlineData("10KI")]
    [InlineData("10 Gi")]
    [InlineData(" 10Gi")]
    [InlineData("10Gi ")]
    [InlineData("1.1.1")]
    [InlineData("1e")]
    [InlineData("1e-")]
    [InlineData("1e3.5")]
    [InlineData("1i")]
    [InlineData(".5i")]
    [InlineData("0.1mi")]
    [InlineData("+-1")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("ten")]
    [InlineData("1Gi1")]
    public void Rejects_what_the_API_server_rejects(string? text) =>
        Assert.False(KubeQuantity.TryParse(text, out _), text ?? "<null>");

    [Theory]
    [InlineData("0", false)]
    [InlineData("0Gi", false)]
    [InlineData("0.000", false)]
    [InlineData("-1Gi", false)]
    [InlineData("1m", true)]
    [InlineData("10Gi", true)]
    public void Knows_whether_a_quantity_is_a_usable_size(string text, bool positive)
    {
        Assert.True(KubeQuantity.TryParse(text, out var q));
        Assert.Equal(positive, q.IsPositive);
    }

    [Fact]
    public void Every_integer_with_every_binary_suffix_is_that_many_powers_of_two() =>
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), Gen.Elements("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei").ToArbitrary(), (n, suffix) =>
        {
            var exponent = suffix switch { "" => 0, "Ki" => 10, "Mi" => 20, "Gi" => 30, "Ti" => 40, "Pi" => 50, _ => 60 };
            return KubeQuantity.TryParse($"{n}{suffix}", out var q) && q.TryGetValue(out var v) && v == n * BigInteger.Pow(2, exponent);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Decimal_fraction_and_exponent_forms_agree() =>
        Prop.ForAll(Gen.Choose(1, 99_999).ToArbitrary(), Gen.Choose(0, 9).ToArbitrary(), (n, e) =>
        {
            // n * 10^e written as "<n>e<e>" and as "<n followed by e zeros>" is the same quantity.
            return KubeQuantity.TryParse($"{n}e{e}", out var a) && KubeQuantity.TryParse(n + new string('0', e), out var b)
                && a.TryGetValue(out var va) && b.TryGetValue(out var vb) && va == vb;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Arbitrary_text_never_throws() =>
        Prop.ForAll<string>(s => { KubeQuantity.TryParse(s, out var q); q?.TryGetValue(out _); return true; }).QuickCheckThrowOnFailure();
}

public sealed class KubeNamesTests
{
    [Theory]
    [InlineData("nightly", true)]
    [InlineData("backup-2026-11-21", true)]
    [InlineData("a", true)]
    [InlineData("0abc", true)]
    [InlineData("Nightly", false)]
    [InlineData("-nightly", false)]
    [InlineData("nightly-", false)]
    [InlineData("night_ly", false)]
    [InlineData("night.ly", false)]
    [InlineData("", false)]
    public void Labels(string name, bool valid) => Assert.Equal(valid, KubeNames.IsLabel(name));

    [Fact]
    public void A_label_is_at_most_63_characters()
    {
        Assert.True(KubeNames.IsLabel(new string('a', 63)));
        Assert.False(KubeNames.IsLabel(new string('a', 64)));
    }

    [Theory]
    [InlineData("pv-0001.example", true)]
    [InlineData("a.b.c", true)]
    [InlineData("a..b", false)]
    [InlineData(".a", false)]
    [InlineData("A.b", false)]
    public void Subdomains(string name, bool valid) => Assert.Equal(valid, KubeNames.IsSubdomain(name));
}
