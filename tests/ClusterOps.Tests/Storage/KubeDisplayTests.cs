using ClusterOps.Core.Common;
using ClusterOps.Core.Storage;

namespace ClusterOps.Tests.Storage;

public class KubeDisplayTests
{
    // Cases follow apimachinery's duration_test.go boundaries: every unit switch and its neighbours.
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1, "1s")]
    [InlineData(-1, "0s")]
    [InlineData(-2, "<invalid>")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(121, "2m1s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 - 1, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(8 * 3600 - 1, "7h59m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(48 * 3600 - 1, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(49 * 3600, "2d1h")]
    [InlineData(8 * 86400 - 1, "7d23h")]
    [InlineData(8 * 86400, "8d")]
    [InlineData(2 * 365 * 86400 - 1, "729d")]
    [InlineData(2 * 365 * 86400, "2y")]
    [InlineData(2 * 365 * 86400 + 86400, "2y1d")]
    [InlineData(8 * 365 * 86400 - 1, "7y364d")]
    [InlineData(8 * 365 * 86400, "8y")]
    [InlineData(30 * 365 * 86400, "30y")]
    public void HumanDuration_matches_kubectl(long seconds, string expected) =>
        Assert.Equal(expected, KubeAge.HumanDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void HumanDuration_truncates_fractions_like_go()
    {
        Assert.Equal("0s", KubeAge.HumanDuration(TimeSpan.FromSeconds(-1.9)));
        Assert.Equal("119s", KubeAge.HumanDuration(TimeSpan.FromSeconds(119.99)));
    }

    [Fact]
    public void Age_without_timestamp_is_unknown()
    {
        var now = DateTimeOffset.Parse("2026-11-21T12:00:00Z");
        Assert.Equal("<unknown>", KubeAge.Of(null, now));
        Assert.Equal("9m", KubeAge.Of(now.AddMinutes(-9), now));
    }

    [Theory]
    [InlineData(new[] { "ReadWriteOnce" }, "RWO")]
    [InlineData(new[] { "ReadWriteMany", "ReadWriteOnce" }, "RWO,RWX")]
    [InlineData(new[] { "ReadWriteOncePod", "ReadOnlyMany", "ReadOnlyMany" }, "ROX,RWOP")]
    [InlineData(new[] { "ReadWriteOnce", "ReadWriteOnce", "SomethingNew" }, "RWO")]
    [InlineData(new string[0], "")]
    public void AccessModes_are_abbreviated_in_kubectl_order(string[] modes, string expected) =>
        Assert.Equal(expected, KubeDisplay.AccessModes(modes));

    [Fact]
    public void AccessModes_of_null_is_empty() => Assert.Equal("", KubeDisplay.AccessModes(null));

    [Fact]
    public void StorageClass_prefers_the_beta_annotation_even_when_empty()
    {
        var beta = new Dictionary<string, string> { [KubeDisplay.BetaStorageClassAnnotation] = "" };
        Assert.Equal("", KubeDisplay.StorageClass(beta, "fast"));
        Assert.Equal("fast", KubeDisplay.StorageClass(new Dictionary<string, string>(), "fast"));
        Assert.Equal("", KubeDisplay.StorageClass(null, null));
    }

    [Fact]
    public void ClaimStatus_is_Terminating_once_deletion_started()
    {
        Assert.Equal("Terminating", KubeDisplay.ClaimStatus("Bound", DateTimeOffset.UtcNow));
        Assert.Equal("Bound", KubeDisplay.ClaimStatus("Bound", null));
        Assert.Equal("", KubeDisplay.ClaimStatus(null, null));
    }
}
