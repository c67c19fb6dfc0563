using System.Text.RegularExpressions;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox;

/// <summary>
/// Fault injection for reliability tests: fail or drop the next N matching requests, add latency, close watch
/// streams, compact history. Path patterns are globs over the request path ('*' matches anything, including '/').
/// </summary>
public sealed class SandboxFaults
{
    private readonly object _gate = new();
    private readonly List<Rule> _rules = new();
    private readonly ObjectStore _store;
    private readonly List<(Regex Pattern, TimeSpan Delay)> _latencies = new();

    internal SandboxFaults(ObjectStore store) => _store = store;

    private sealed class Rule
    {
        public required string? Method { get; init; }
        public required Regex Pattern { get; init; }
        public required int StatusCode { get; init; }
        public required bool Abort { get; init; }
        public TimeSpan? RetryAfter { get; init; }
        public int Remaining { get; set; }
        /// <summary>Matching requests still to let through before the failures start (a list that breaks on page 2).</summary>
        public int Skip { get; set; }
    }

    /// <summary>The next <paramref name="count"/> requests matching fail with the status (429, 500, 503, ...).</summary>
    public void FailNext(int count, string? method, string pathPattern, int statusCode, TimeSpan? retryAfter = null, int skip = 0)
    {
        lock (_gate) _rules.Add(new Rule { Method = Norm(method), Pattern = Glob(pathPattern), StatusCode = statusCode, Abort = false, RetryAfter = retryAfter, Remaining = count, Skip = skip });
    }

    /// <summary>The next <paramref name="count"/> requests matching have their connection dropped without a response.</summary>
    public void DropNext(int count, string? method, string pathPattern)
    {
        lock (_gate) _rules.Add(new Rule { Method = Norm(method), Pattern = Glob(pathPattern), StatusCode = 0, Abort = true, Remaining = count });
    }

    /// <summary>Every request (or those matching the pattern) waits this long before it is served.</summary>
    public void AddLatency(TimeSpan delay, string pathPattern = "*")
    {
        lock (_gate) _latencies.Add((Glob(pathPattern), delay));
    }

    /// <summary>
    /// While set, every API request's connection is dropped before any answer (the admin API still answers, so a test
    /// can turn it back off): to clients the cluster is unreachable.
    /// </summary>
    public bool Unreachable { get; set; }

    /// <summary>Closes every open watch stream; returns how many were open.</summary>
    public int CloseWatches() => _store.CloseAllWatches();

    /// <summary>Expires every continue token issued so far and every older resourceVersion for watches.</summary>
    public void Compact() => _store.Compact();

    /// <summary>Removes all pending failures and latency.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _latencies.Clear();
        }
        Unreachable = false;
    }

    /// <summary>How many injected failures have not fired yet.</summary>
    public int Pending
    {
        get { lock (_gate) return _rules.Sum(r => r.Remaining); }
    }

    internal (int Status, bool Abort, TimeSpan? RetryAfter)? Take(string method, string path)
    {
        lock (_gate)
        {
            foreach (var r in _rules)
            {
                if (r.Remaining <= 0) continue;
                if (r.Method != null && r.Method != method.ToUpperInvariant()) continue;
                if (!r.Pattern.IsMatch(path)) continue;
                if (r.Skip > 0)
                {
                    r.Skip--;
                    continue;
                }
                r.Remaining--;
                if (r.Remaining == 0) _rules.Remove(r);
                return (r.StatusCode, r.Abort, r.RetryAfter);
            }
            return null;
        }
    }

    internal TimeSpan LatencyFor(string path)
    {
        lock (_gate)
        {
            var total = TimeSpan.Zero;
            foreach (var (p, d) in _latencies)
                if (p.IsMatch(path)) total += d;
            return total;
        }
    }

    private static string? Norm(string? method) => string.IsNullOrEmpty(method) || method == "*" ? null : method.ToUpperInvariant();

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.CultureInvariant);
}
