using System.Text;

namespace ClusterOps.Bench.Infrastructure;

/// <summary>Whether a figure met its target. Info rows have no target of their own (context for another row).</summary>
public enum Verdict { Pass, Miss, Info, Failed }

/// <summary>One line of the table: our figure beside its reference, measured in the same run.</summary>
public sealed record ResultRow(string Scenario, string Ours, string Reference, string Ratio, string Memory, string Target, Verdict Verdict, string? Note = null);

/// <summary>Collects rows as scenarios finish and prints them as one aligned table.</summary>
public sealed class ResultTable
{
    private readonly List<ResultRow> _rows = new();

    public IReadOnlyList<ResultRow> Rows => _rows;

    public void Add(ResultRow row)
    {
        _rows.Add(row);
        Console.Error.WriteLine($"  -> {row.Scenario}: {row.Ours} vs {row.Reference} [{row.Verdict}]");
    }

    public string Render()
    {
        string[] head = ["scenario", "ours", "reference", "ratio", "memory", "target", "verdict"];
        var cells = _rows.Select(r => new[] { r.Scenario, r.Ours, r.Reference, r.Ratio, r.Memory, r.Target, VerdictText(r.Verdict) }).ToList();
        var widths = head.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(string[] values) => sb.AppendLine(string.Join("  ", values.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
        Line(head);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var c in cells) Line(c);
        var notes = _rows.Where(r => r.Note is not null).ToList();
        if (notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var r in notes) sb.AppendLine($"* {r.Scenario}: {r.Note}");
        }
        return sb.ToString();
    }

    private static string VerdictText(Verdict v) => v switch
    {
        Verdict.Pass => "PASS",
        Verdict.Miss => "MISS",
        Verdict.Failed => "ERROR",
        _ => "info",
    };
}
