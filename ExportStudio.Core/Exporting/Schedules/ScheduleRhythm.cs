using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace ExportStudio.Core.Exporting.Schedules;

/// <summary>
/// When a schedule's runs fall due: every fixed interval from a start (slots <c>start + k × every</c>), or at
/// the times of a five-field cron expression in a time zone (from the start on). Slots are times, not
/// counts: a schedule that missed several slots while the app was down runs once, then at the next slot.
/// </summary>
public sealed partial record ScheduleRhythm
{
    public static readonly TimeSpan ShortestInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan LongestInterval = TimeSpan.FromDays(366);

    private CronExpression? _cron;

    /// <summary>The interval, or null for a cron rhythm.</summary>
    public TimeSpan? Every { get; private init; }

    /// <summary>The interval as given (an ISO 8601 duration), or null for a cron rhythm.</summary>
    public string? EveryText { get; private init; }

    /// <summary>The cron expression as given, or null for an interval.</summary>
    public string? Cron { get; private init; }

    /// <summary>The IANA (or Windows) id of the zone cron times are read in; intervals ignore it.</summary>
    public string TimeZone { get; private init; } = "UTC";

    /// <summary>The first slot of an interval; cron times before it are not slots.</summary>
    public DateTime Start { get; private init; }

    /// <summary>
    /// Reads a rhythm from the API's fields; exactly one of <paramref name="every"/> and <paramref name="cron"/>.
    /// Without <paramref name="start"/>, an interval's first slot is one interval from <paramref name="now"/>.
    /// </summary>
    public static ScheduleRhythm? Parse(string? every, string? cron, string? timeZone, DateTime? start, DateTime now, Action<string, string> problem)
    {
        var zoneId = string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim();
        if (!TryFindZone(zoneId, out _))
        {
            problem("timeZone", $"'{zoneId}' is not a time zone this server knows; use an IANA name such as Europe/Berlin, America/New_York or UTC.");
        }
        switch (every, cron)
        {
            case (null, null):
                problem("every", "Give the schedule a rhythm: \"every\" as an ISO 8601 duration (\"PT6H\", \"P1D\") or \"cron\" as a five-field expression (\"0 3 * * *\").");
                return null;
            case (not null, not null):
                problem("cron", "Give either \"every\" or \"cron\", not both.");
                return null;
            case (not null, null):
                if (!TryParseDuration(every, out var interval))
                {
                    problem("every", $"'{Shown(every)}' is not an ISO 8601 duration such as PT30M, PT6H, P1D or P1W (calendar months and years vary in length: use cron for those).");
                    return null;
                }
                if (interval < ShortestInterval || interval > LongestInterval)
                {
                    problem("every", $"'{every}' is {Describe(interval)}; the interval must be from {Describe(ShortestInterval)} to {Describe(LongestInterval)}.");
                    return null;
                }
                return new ScheduleRhythm { Every = interval, EveryText = every.Trim().ToUpperInvariant(), TimeZone = zoneId, Start = start ?? now + interval };
            default:
                var text = cron!.Trim();
                if (!TryParseCron(text, out var expression, out var reason))
                {
                    problem("cron", $"'{Shown(text)}' is not a five-field cron expression (minute hour day-of-month month day-of-week, such as \"0 3 * * *\" for 03:00 every day): {reason}");
                    return null;
                }
                return new ScheduleRhythm { Cron = text, _cron = expression, TimeZone = zoneId, Start = start ?? now };
        }
    }

    /// <summary>A rhythm read back from the database, where it was stored valid.</summary>
    public static ScheduleRhythm Restore(string? every, string? cron, string timeZone, DateTime start) =>
        cron is null
            ? new ScheduleRhythm { Every = TryParseDuration(every ?? "", out var interval) ? interval : throw new InvalidOperationException($"The stored interval '{every}' is not a duration."), EveryText = every, TimeZone = timeZone, Start = start }
            : new ScheduleRhythm { Cron = cron, _cron = CronExpression.Parse(cron, CronFormat.Standard), TimeZone = timeZone, Start = start };

    /// <summary>The first slot after <paramref name="time"/>; null when a cron expression has none left (such as 30 February).</summary>
    public DateTime? NextAfter(DateTime time)
    {
        if (Every is { } every)
        {
            if (time < Start)
            {
                return Start;
            }
            var passed = (time - Start).Ticks / every.Ticks + 1;
            return Start + TimeSpan.FromTicks(passed * every.Ticks);
        }
        TryFindZone(TimeZone, out var zone);
        var from = time < Start ? Start.AddTicks(-1) : time;
        return _cron!.GetNextOccurrence(DateTime.SpecifyKind(from, DateTimeKind.Utc), zone ?? TimeZoneInfo.Utc);
    }

    public bool Equals(ScheduleRhythm? other) =>
        other is not null && EveryText == other.EveryText && Cron == other.Cron && TimeZone == other.TimeZone && Start == other.Start;

    public override int GetHashCode() => HashCode.Combine(EveryText, Cron, TimeZone, Start);

    /// <summary>For people: "every 6 hours", "0 3 * * * (Europe/Berlin)".</summary>
    public string Describe() => Every is { } every ? $"every {Describe(every)}" : $"{Cron} ({TimeZone})";

    private static bool TryFindZone(string id, out TimeZoneInfo? zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = null;
            return false;
        }
    }

    private static bool TryParseCron(string text, out CronExpression? expression, out string reason)
    {
        expression = null;
        if (text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5)
        {
            reason = "it needs exactly five fields.";
            return false;
        }
        try
        {
            expression = CronExpression.Parse(text, CronFormat.Standard);
            reason = "";
            return true;
        }
        catch (CronFormatException exception)
        {
            reason = exception.Message;
            return false;
        }
    }

    [GeneratedRegex(@"^P(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<m>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    /// <summary>ISO 8601 durations of fixed length: weeks, days, hours, minutes, seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var match = DurationPattern().Match(text.Trim().ToUpperInvariant());
        if (!match.Success || text.Trim().EndsWith('T') || !match.Groups.Values.Skip(1).Any(g => g.Success))
        {
            return false;
        }
        double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = Part("w") * 604800 + Part("d") * 86400 + Part("h") * 3600 + Part("m") * 60 + Part("s");
        if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static string Describe(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.Ticks % TimeSpan.TicksPerDay == 0 => Plural(span.TotalDays, "day"),
        { TotalHours: >= 1 } when span.Ticks % TimeSpan.TicksPerHour == 0 => Plural(span.TotalHours, "hour"),
        { TotalMinutes: >= 1 } when span.Ticks % TimeSpan.TicksPerMinute == 0 => Plural(span.TotalMinutes, "minute"),
        _ => Plural(span.TotalSeconds, "second"),
    };

    private static string Plural(double count, string unit) => count == 1 ? unit : $"{count:0.###} {unit}s";

    private static string Shown(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
