namespace ClusterOps.Sandbox;

/// <summary>
/// The sandbox's notion of now: wall-clock time plus an offset that tests can advance, so schedules and ages can be
/// exercised without waiting. Timestamps written into objects come from here.
/// </summary>
public sealed class SandboxClock : TimeProvider
{
    private long _offsetTicks;

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => UtcNow;

    /// <summary>Raised after every <see cref="Advance"/> so controllers re-evaluate time-based decisions.</summary>
    public event Action? Advanced;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "The sandbox clock only moves forward.");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        Advanced?.Invoke();
    }

    /// <summary>RFC 3339 in whole seconds, as the API server writes metav1.Time.</summary>
    public string Timestamp() => Format(UtcNow);

    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", global::System.Globalization.CultureInfo.InvariantCulture);
}
