using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Common;
using ClusterOps.Core.Lifecycle;
using System.Xml.Linq;
using ClusterOps.Tests.Cmdlets;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Core;

/// <summary>
/// Issue 12 §3 at the type level: every output type's properties are values a table, a CSV cell and ConvertTo-Json
/// handle (no JSON nodes, no models, no records); sizes and ages are numbers and durations. The Pester suite
/// tests/Pester/OutputTypes.Tests.ps1 checks the same objects as PowerShell emits them.
/// </summary>
public sealed class OutputShapeTests
{
    private static readonly HashSet<Type> Scalars =
    [
        typeof(string), typeof(bool), typeof(int), typeof(long), typeof(double), typeof(decimal),
        typeof(DateTimeOffset), typeof(DateTime), typeof(TimeSpan), typeof(Guid),
    ];

    private static IEnumerable<Type> OutputTypes() =>
        typeof(ClusterOpsCmdlet).Assembly.GetTypes()
            .Where(t => !t.IsAbstract)
            .Select(CmdletMetadata.Read)
            .OfType<CmdletMetadata>()
            .SelectMany(c => c.OutputTypes)
            .Where(t => t.Namespace?.StartsWith("ClusterOps", StringComparison.Ordinal) == true)
            .Distinct();

    private static bool IsScalar(Type t)
    {
        var type = Nullable.GetUnderlyingType(t) ?? t;
        return Scalars.Contains(type) || type.IsEnum;
    }

    [Fact]
    public void Every_output_type_has_only_scalar_public_properties()
    {
        var types = OutputTypes().ToList();
        Assert.Contains(typeof(ClusterComponentInfo), types); // the enumeration found the cmdlets' [OutputType]s
        var violations = types
            .SelectMany(t => t.GetProperties().Select(p => (Type: t, Property: p)))
            .Where(x => !IsScalar(x.Property.PropertyType))
            .Select(x => $"{x.Type.Name}.{x.Property.Name}: {x.Property.PropertyType}")
            .ToList();
        Assert.True(violations.Count == 0, "Output properties that are not values:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Storage_sizes_are_bytes_that_sort_as_numbers()
    {
        var sizes = new[] { "10Gi", "100Mi", "2Gi", "1Gi" }.Select(KubeSize.Bytes).ToList();
        Assert.Equal(new long?[] { 100L << 20, 1L << 30, 2L << 30, 10L << 30 }, sizes.Order());
        Assert.True(KubeSize.Bytes("10Gi") > 5L * 1024 * 1024 * 1024); // Where-Object Capacity -gt 5GB
        Assert.Equal(5_000_000_000, KubeSize.Bytes("5G"));
        Assert.Null(KubeSize.Bytes(""));
        Assert.Null(KubeSize.Bytes(null));
        Assert.Null(KubeSize.Bytes("10 Gi"));
    }

    [Theory]
    [InlineData("100Mi")]
    [InlineData("1Gi")]
    [InlineData("10Gi")]
    [InlineData("1536Mi")]
    [InlineData("5G")]
    [InlineData("500M")]
    [InlineData("3Ti")]
    [InlineData("999")]
    public void The_table_prints_the_canonical_quantity_kubectl_prints(string quantity) =>
        Assert.Equal(quantity, KubeSize.Format(KubeSize.Bytes(quantity)));

    [Fact]
    public void A_missing_size_prints_an_empty_cell_as_kubectl_does() => Assert.Equal("", KubeSize.Format(null));

    [Fact]
    public void Ages_are_whole_second_durations_printed_as_kubectl_prints_them()
    {
        var now = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
        var age = KubeAge.Since(now.AddMinutes(-5).AddMilliseconds(-700), now);
        Assert.Equal(TimeSpan.FromMinutes(5), age);
        Assert.Equal("5m", KubeAge.Of(age));
        Assert.True(KubeAge.Since(now.AddHours(-3), now) > KubeAge.Since(now.AddMinutes(-59), now)); // sorts as a duration
        Assert.Null(KubeAge.Since(null, now));
        Assert.Equal("<unknown>", KubeAge.Of((TimeSpan?)null));
    }

    /// <summary>
    /// The layout rule that keeps headers on one line at 80 columns. PowerShell sizes a column without a width by
    /// its content and then squeezes the columns after it, stacking their headers vertically; so every column but the
    /// last has a width, the widths and separators leave room for the last header, and each header fits its column.
    /// (The Pester suite renders the views of the objects it gets; this covers every view, emitted or not.)
    /// </summary>
    [Fact]
    public void Every_table_view_fits_80_columns_with_upper_case_headers()
    {
        var views = XDocument.Load(RepoPaths.FormatFile).Descendants("View").Where(v => v.Element("TableControl") is not null).ToList();
        Assert.True(views.Count > 20);
        var violations = new List<string>();
        foreach (var view in views)
        {
            var name = (string?)view.Element("Name");
            var headers = view.Descendants("TableColumnHeader")
                .Select(h => (Label: (string?)h.Element("Label") ?? "", Width: (int?)h.Element("Width"))).ToList();
            if (headers.Take(headers.Count - 1).Any(h => h.Width is null))
                violations.Add($"{name}: a column before the last has no width");
            if (headers[^1].Width is not null)
                violations.Add($"{name}: the last column has a width, so it cannot take the rest of the line");
            var used = headers.Take(headers.Count - 1).Sum(h => h.Width ?? 0) + headers.Count - 1 + headers[^1].Label.Length;
            if (used > 80)
                violations.Add($"{name}: needs {used} columns");
            violations.AddRange(headers.Where(h => h.Width is { } w && h.Label.Length > w).Select(h => $"{name}: {h.Label} is wider than {h.Width}"));
            violations.AddRange(headers.Where(h => h.Label != h.Label.ToUpperInvariant()).Select(h => $"{name}: {h.Label} is not upper case"));
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
