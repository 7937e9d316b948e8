using System.Globalization;
using System.Text.Json;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// Times as the sources write them — epoch seconds (often fractional), epoch milliseconds, ISO 8601 with
/// <c>Z</c> or an offset — read as UTC, kept to the millisecond (a float of epoch seconds holds no more
/// than that reliably), or null when a value is missing or is not a time.
/// </summary>
public static class SourceTimes
{
    /// <summary>Epoch values above this are milliseconds: as seconds they would lie past the year 5000.</summary>
    private const decimal MillisecondsAbove = 100_000_000_000m;
    private static readonly DateTime Latest = new(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static DateTime? Read(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) ? Read(value) : null;

    public static DateTime? Read(JsonElement value) => value.ValueKind switch
    {
        // As a decimal, the digits exactly as written: 1700811200.098 as a double is …200.09799.
        JsonValueKind.Number when value.TryGetDecimal(out var epoch) => FromEpoch(epoch),
        JsonValueKind.Number when value.TryGetDouble(out var large) => FromEpoch((decimal)Math.Min(large, 1e15)),
        JsonValueKind.String => Parse(value.GetString()!),
        _ => null,
    };

    public static DateTime? Parse(string text)
    {
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch))
        {
            return FromEpoch(epoch);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Truncate(time.UtcDateTime)
            : null;
    }

    public static DateTime? FromEpoch(decimal epoch)
    {
        var milliseconds = epoch > MillisecondsAbove ? epoch : epoch * 1000;
        if (milliseconds <= 0 || milliseconds >= (decimal)(Latest - DateTime.UnixEpoch).TotalMilliseconds)
        {
            return null; // 0, negative or absurd: a missing time written as a number
        }
        return DateTime.UnixEpoch.AddTicks((long)decimal.Floor(milliseconds) * TimeSpan.TicksPerMillisecond);
    }

    private static DateTime Truncate(DateTime time) =>
        new(time.Ticks - time.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}
