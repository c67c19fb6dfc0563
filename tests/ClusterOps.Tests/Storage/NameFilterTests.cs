using ClusterOps.Core.Common;
using ClusterOps.Core.Storage;

namespace ClusterOps.Tests.Storage;

public class NameFilterTests
{
    [Theory]
    [InlineData("*vol*", "nosqlvol-cass-set-0-0", true)]
    [InlineData("sqlvol-*", "nosqlvol-cass-set-0-0", false)]
    [InlineData("logvol-*", "logvol-log-set-0-0", true)]
    [InlineData("LOGVOL-*", "logvol-log-set-0-0", false)] // case-sensitive, as kubectl and the API server treat names
    [InlineData("Logvol-log-set-0-0", "logvol-log-set-0-0", false)]
    [InlineData("cache?ol-cache-set-0-0", "cachevol-cache-set-0-0", true)]
    [InlineData("*-set-[0-1]-0", "log-set-1-1", false)]
    [InlineData("*-set-[0-1]-0", "logvol-log-set-1-0", true)]
    [InlineData("*-set-[0-1]-0", "logvol-log-set-2-0", false)]
    [InlineData("data`*", "data*", true)]
    [InlineData("data`*", "data-0", false)]
    public void Matches_like_powershell_wildcards_but_case_sensitive(string pattern, string name, bool expected) =>
        Assert.Equal(expected, new NameFilter(new[] { pattern }).IsMatch(name));

    [Fact]
    public void Literal_names_are_kept_apart_for_direct_gets()
    {
        var filter = new NameFilter(new[] { "data-0", "log*", "a`[1`]" });
        Assert.Equal(new[] { "data-0", "a[1]" }, filter.Literals);
        Assert.True(filter.HasPatterns);
        Assert.False(filter.LiteralsOnly);
        Assert.True(new NameFilter(new[] { "x" }).LiteralsOnly);
    }

    [Fact]
    public void No_names_matches_everything()
    {
        var filter = new NameFilter(null);
        Assert.True(filter.IsEmpty);
        Assert.True(filter.IsMatch("anything"));
    }

    [Fact]
    public void Unclosed_bracket_is_a_clear_error()
    {
        var ex = Assert.Throws<OperationException>(() => new NameFilter(new[] { "data[0" }));
        Assert.Equal("InvalidNamePattern", ex.ErrorId);
    }
}

public class NameCompletionTests
{
    private static readonly string[] Names = { "sqlvol-mysql-set-0-0", "nosqlvol-cass-set-0-0", "logvol-log-set-0-0" };

    [Fact]
    public void Completes_prefixes_and_patterns_in_order()
    {
        Assert.Equal(new[] { "logvol-log-set-0-0" }, NameCompletion.Filter(Names, "log"));
        Assert.Equal(new[] { "nosqlvol-cass-set-0-0", "sqlvol-mysql-set-0-0" }, NameCompletion.Filter(Names, "*sql*"));
        Assert.Equal(3, NameCompletion.Filter(Names, "").Count);
        Assert.Equal(new[] { "sqlvol-mysql-set-0-0" }, NameCompletion.Filter(Names, "'sql"));
        Assert.Empty(NameCompletion.Filter(Names, "zzz"));
    }
}
