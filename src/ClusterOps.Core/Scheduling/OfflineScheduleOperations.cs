using System.Collections;
using System.Globalization;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// The offline scheduling operations behind Test-SchedulePolicy and Get-ScheduleTrigger: no cluster, only files
/// and objects the caller already holds. Each writes its results to the context as they are produced.
/// </summary>
public static class OfflineScheduleOperations
{
    public const string LastTriggerInvalid = "ScheduleTriggerLastTriggerInvalid";
    public const string TimeZoneNotFound = "ScheduleTriggerTimeZoneNotFound";

    /// <summary>
    /// Test-SchedulePolicy -Path: every policy in the file, one <see cref="SchedulePolicyProblem"/> per problem
    /// (or, with <paramref name="quiet"/>, one bool per policy: true when Stork accepts it). A file that cannot be
    /// read is a non-terminating error so that the other files are still checked.
    /// </summary>
    public static void TestFile(string path, bool quiet, IOperationContext context)
    {
        IReadOnlyList<SchedulePolicyDocument> policies;
        try
        {
            policies = SchedulePolicyYaml.LoadFile(path, context.CancellationToken);
        }
        catch (OperationException ex)
        {
            context.WriteError(ex, path);
            return;
        }
        foreach (var policy in policies)
            Report(policy.Name, SchedulePolicyValidator.Validate(policy, path), quiet, context);
    }

    /// <summary>Test-SchedulePolicy -InputObject: the whole object, as read from a file or the cluster.</summary>
    public static void TestPolicy(SchedulePolicyInfo policy, bool quiet, IOperationContext context)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Report(policy.Name, SchedulePolicyValidator.Validate(policy.Document, policy.Source), quiet, context);
    }

    private static void Report(string name, IReadOnlyList<SchedulePolicyProblem> problems, bool quiet, IOperationContext context)
    {
        var errors = problems.Count(p => p.Severity == SchedulePolicySeverity.Error);
        context.WriteVerbose($"Schedule policy '{name}': {errors} error(s), {problems.Count - errors} warning(s).");
        if (quiet)
        {
            context.WriteObject(errors == 0);
            return;
        }
        foreach (var problem in problems)
            context.WriteObject(problem);
    }

    /// <summary>
    /// Get-ScheduleTrigger: the preview of one policy, streamed. A policy Stork rejects is a non-terminating error
    /// (it never triggers); a bad range is terminating.
    /// </summary>
    public static void PreviewTriggers(ScheduleTriggerRequest request, IOperationContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        context.WriteVerbose(
            $"Replaying Stork's controller for '{request.PolicyName}' from {request.Start:o} to {request.End:o} in {request.TimeZone.Id}, " +
            $"a pass every {request.Step.TotalSeconds:0} s, migrations lasting {request.MigrationDuration}.");
        IEnumerable<ScheduleTriggerInfo> triggers;
        try
        {
            triggers = ScheduleTriggerSimulator.Simulate(request, context.CancellationToken);
        }
        catch (OperationException ex) when (ex.ErrorId == SchedulePolicyErrorIds.PolicyInvalid)
        {
            // One bad policy in a file must not hide the previews of the others.
            context.WriteError(ex, request.PolicyName);
            return;
        }
        foreach (var trigger in triggers)
            context.WriteObject(trigger);
    }

    /// <summary>A zone by IANA or Windows id ("UTC", "Europe/Paris", "W. Europe Standard Time").</summary>
    public static TimeZoneInfo FindTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Equals("UTC", StringComparison.OrdinalIgnoreCase))
            return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new OperationException(TimeZoneNotFound, FailureKind.InvalidArgument,
                $"'{id}' is not a time zone this machine knows; use the stork pod's zone as an IANA id such as Europe/Paris (stork runs in UTC unless its image or pod sets TZ).", id, ex)
            {
                RecommendedAction = "Check the TZ variable of the stork deployment: kubectl -n kube-system get deploy stork -o jsonpath='{..env}'",
            };
        }
    }

    /// <summary>
    /// A time given on the command line as an instant: a DateTime of kind Unspecified ("2019-02-14 20:00") is read
    /// as wall time in the controller's zone, Local and Utc kinds keep their meaning.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime value, TimeZoneInfo zone) => value.Kind switch
    {
        DateTimeKind.Utc => new DateTimeOffset(value),
        DateTimeKind.Local => new DateTimeOffset(value).ToUniversalTime(),
        _ => new DateTimeOffset(value, zone.GetUtcOffset(value)),
    };

    /// <summary>
    /// -LastTrigger @{ Interval = '2019-02-16T00:40:52Z'; Daily = (Get-Date) }: keys are policy types (any case),
    /// values DateTime, DateTimeOffset or text (read like a Stork status timestamp; without an offset, in the zone).
    /// </summary>
    public static IReadOnlyDictionary<SchedulePolicyType, DateTimeOffset> ParseLastTriggers(IDictionary? table, TimeZoneInfo zone)
    {
        var result = new Dictionary<SchedulePolicyType, DateTimeOffset>();
        if (table is null)
            return result;
        foreach (DictionaryEntry entry in table)
        {
            var key = entry.Key?.ToString() ?? "";
            if (!Enum.TryParse<SchedulePolicyType>(key, ignoreCase: true, out var type) || !Enum.IsDefined(type) || int.TryParse(key, out _))
            {
                throw new OperationException(LastTriggerInvalid, FailureKind.InvalidArgument,
                    $"LastTrigger key '{key}' is not a policy type; use Interval, Daily, Weekly or Monthly.", key);
            }
            result[type] = entry.Value switch
            {
                DateTimeOffset dto => dto,
                DateTime dt => ToInstant(dt, zone),
                string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && HasOffset(text) => parsed,
                string text when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall) => ToInstant(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified), zone),
                var other => throw new OperationException(LastTriggerInvalid, FailureKind.InvalidArgument,
                    $"LastTrigger {type} value '{other}' is not a date and time.", other),
            };
        }
        return result;
    }

    private static bool HasOffset(string text)
    {
        var t = text.TrimEnd();
        return t.EndsWith('Z') || t.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(t, @"[+-]\d\d:?\d\d$");
    }
}

/// <summary>Time zone ids for tab completion of -TimeZone: IANA ids first, matching by prefix, never throwing.</summary>
public static class TimeZoneNames
{
    public static IEnumerable<string> Complete(string? prefix)
    {
        IEnumerable<string> ids;
        try
        {
            ids = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Append("UTC").Distinct(StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is InvalidTimeZoneException or IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return ["UTC"];
        }
        var p = (prefix ?? "").Trim('\'', '"');
        return ids.Where(id => id.StartsWith(p, StringComparison.OrdinalIgnoreCase) ||
                               id.Contains('/' + p, StringComparison.OrdinalIgnoreCase))
            .OrderBy(id => id.Contains('/') ? 0 : 1).ThenBy(id => id, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
