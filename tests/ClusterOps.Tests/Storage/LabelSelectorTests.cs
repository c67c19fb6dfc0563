using ClusterOps.Core.Common;
using ClusterOps.Core.Storage;
using FsCheck;
using FsCheck.Fluent;

namespace ClusterOps.Tests.Storage;

public class LabelSelectorTests
{
    [Theory]
    [InlineData("bad key", "x", "'bad key' is not a valid label key")]
    [InlineData("tier", "db!", "'db!' (label 'tier') is not a valid label value")]
    [InlineData("-tier", "db", "'-tier' is not a valid label key")]
    [InlineData("example.com/", "db", "'example.com/' is not a valid label key")]
    public void Hashtable_labels_are_validated_like_kubectl_validates_them(string key, string value, string message)
    {
        var ex = Assert.Throws<OperationException>(() => LabelSelector.ValidateLabels(new Dictionary<string, string> { [key] = value }, "-Selector"));
        Assert.Equal(("InvalidLabelSelector", FailureKind.InvalidArgument), (ex.ErrorId, ex.Kind));
        Assert.Contains("-Selector: " + message, ex.Message);
    }

    [Fact]
    public void Valid_hashtable_labels_pass()
    {
        LabelSelector.ValidateLabels(new Dictionary<string, string> { ["tier"] = "db", ["app.kubernetes.io/name"] = "my-app", ["empty"] = "" }, "-Selector");
        LabelSelector.ValidateLabels(null, "-Selector");
    }

    [Theory]
    [InlineData("app=web", "app=web")]
    [InlineData("app==web", "app=web")]
    [InlineData(" tier != cache , app=web", "app=web,tier!=cache")]
    [InlineData("env in (prod, staging,prod)", "env in (prod,staging)")]
    [InlineData("env notin (a)", "env notin (a)")]
    [InlineData("!legacy", "!legacy")]
    [InlineData("release", "release")]
    [InlineData("app.kubernetes.io/name=tml", "app.kubernetes.io/name=tml")]
    [InlineData("weight>5,weight<10", "weight>5,weight<10")]
    [InlineData("app=", "app=")]
    [InlineData("", "")]
    public void Parses_kubectl_syntax_to_canonical_text(string input, string canonical) =>
        Assert.Equal(canonical, LabelSelector.Parse(input).ToString());

    [Theory]
    [InlineData("app=web,", "missing after the last ','")]
    [InlineData("=web", "expected a label key")]
    [InlineData("app in prod", "parenthesised list")]
    [InlineData("app in (prod", "closing ')'")]
    [InlineData("app in ()", "at least one value")]
    [InlineData("-app=x", "not a valid label key")]
    [InlineData("Example.com/app=x", "not a valid label key")]
    [InlineData("app=bad value", "expected ','")]
    [InlineData("app=-x", "not a valid value")]
    [InlineData("n>x", "integer")]
    [InlineData("app web", "expected an operator")]
    public void Rejects_bad_selectors_with_a_reason(string input, string reason)
    {
        var ex = Assert.Throws<OperationException>(() => LabelSelector.Parse(input));
        Assert.Equal("InvalidLabelSelector", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Keys_and_values_have_the_api_servers_limits()
    {
        Assert.True(LabelSelector.IsValidKey(new string('a', 63)));
        Assert.False(LabelSelector.IsValidKey(new string('a', 64)));
        Assert.True(LabelSelector.IsValidKey("example.com/" + new string('a', 63)));
        Assert.False(LabelSelector.IsValidKey("/app"));
        Assert.False(LabelSelector.IsValidValue(new string('v', 64)));
        Assert.True(LabelSelector.IsValidValue("a_b.c-d"));
    }

    [Fact]
    public void Matches_follows_set_semantics()
    {
        var labels = new Dictionary<string, string> { ["app"] = "cass-svc", ["tier"] = "db", ["n"] = "7" };
        Assert.True(LabelSelector.Parse("app=cass-svc").Matches(labels));
        Assert.False(LabelSelector.Parse("app=log-svc").Matches(labels));
        Assert.True(LabelSelector.Parse("missing!=x").Matches(labels)); // absent key satisfies !=
        Assert.True(LabelSelector.Parse("missing notin (x)").Matches(labels));
        Assert.False(LabelSelector.Parse("missing in (x)").Matches(labels));
        Assert.True(LabelSelector.Parse("tier in (db,cache),!legacy,app").Matches(labels));
        Assert.False(LabelSelector.Parse("!tier").Matches(labels));
        Assert.True(LabelSelector.Parse("n>5,n<8").Matches(labels));
        Assert.False(LabelSelector.Parse("tier>1").Matches(labels)); // not a number: no match
        Assert.True(LabelSelector.Parse("").Matches(null));
    }

    private static readonly string[] Keys = { "app", "tier", "example.com/zone", "a.b_c-d" };
    private static readonly string[] Values = { "", "web", "db", "cass-svc", "x.y_z" };

    private static Gen<string> RequirementText() =>
        from key in Gen.Elements(Keys)
        from op in Gen.Elements("=", "==", "!=", "in", "notin", "exists", "!", ">", "<")
        from values in Gen.NonEmptyListOf(Gen.Elements(Values.Where(v => v.Length > 0).ToArray()))
        from value in Gen.Elements(Values)
        from number in Gen.Choose(-50, 50)
        select op switch
        {
            "in" or "notin" => $"{key} {op} ({string.Join(",", values)})",
            "exists" => key,
            "!" => $"!{key}",
            ">" or "<" => $"{key}{op}{number}",
            _ => $"{key}{op}{value}",
        };

    [Fact]
    public void Canonical_text_parses_back_to_the_same_selector_and_the_same_matches()
    {
        var labelSets = Gen.ListOf(from k in Gen.Elements(Keys) from v in Gen.Elements(Values.Concat(new[] { "3", "-9" }).ToArray()) select (Item1: k, Item2: v))
            .Select(kvs => (IReadOnlyDictionary<string, string>)kvs.GroupBy(kv => kv.Item1).ToDictionary(g => g.Key, g => g.First().Item2));
        Prop.ForAll(
                Gen.NonEmptyListOf(RequirementText()).Select(rs => string.Join(" , ", rs)).ToArbitrary(),
                labelSets.ToArbitrary(),
                (text, labels) =>
                {
                    var parsed = LabelSelector.Parse(text);
                    var reparsed = LabelSelector.Parse(parsed.ToString());
                    return reparsed.ToString() == parsed.ToString() && reparsed.Matches(labels) == parsed.Matches(labels);
                })
            .QuickCheckThrowOnFailure();
    }
}
