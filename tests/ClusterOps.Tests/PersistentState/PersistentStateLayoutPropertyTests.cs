using System.Runtime.Versioning;
using ClusterOps.Core.Common;
using ClusterOps.Core.PersistentState;
using FsCheck;
using FsCheck.Fluent;

namespace ClusterOps.Tests.PersistentState;

/// <summary>
/// Overlap detection checked against an independent oracle that compares path segments, over directory lists built
/// from names that share prefixes (opt/cloudify vs opt/cloudify-stage) and spellings with '.', '..' and trailing '/'.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PersistentStateLayoutPropertyTests
{
    private static readonly Gen<string> Segment = Gen.Elements("opt", "cloudify", "cloudify-stage", "var", "lib", "lib64");

    private static readonly Gen<(string Spelled, string[] Segments)> Directory =
        from segments in Gen.ArrayOf(Segment).Where(s => s.Length is > 0 and <= 3)
        from style in Gen.Choose(0, 2)
        select (style switch
        {
            0 => "/" + string.Join("/", segments),
            1 => "/" + string.Join("/", segments) + "/",
            _ => "/" + string.Join("/", segments.Prepend(".")) + "/x/..",
        }, segments);

    [Fact]
    public void Directories_are_rejected_exactly_when_one_contains_another()
    {
        var volume = "/mnt/volume-" + Guid.NewGuid().ToString("N"); // absent: only the lexical rules apply
        Prop.ForAll(Gen.ArrayOf(Directory).Where(d => d.Length is > 0 and <= 4).ToArbitrary(), dirs =>
        {
            var distinct = dirs.Select(d => d.Segments).DistinctBy(s => string.Join("/", s)).ToList();
            var oracleOverlap = distinct.Any(a => distinct.Any(b => b.Length > a.Length && b.Take(a.Length).SequenceEqual(a)));
            try
            {
                var layout = PersistentStateLayout.Create(volume, dirs.Select(d => d.Spelled), LinuxFileSystem.Instance, new FakePlatform(true));
                return !oracleOverlap && layout.Directories.Count == distinct.Count;
            }
            catch (OperationException e) when (e.ErrorId == PersistentStateErrors.DirectoriesOverlap)
            {
                return oracleOverlap;
            }
        }).QuickCheckThrowOnFailure();
    }
}
