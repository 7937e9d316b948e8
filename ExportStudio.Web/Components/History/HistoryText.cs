using System.Globalization;
using ExportStudio.Web.Components.Shared;

namespace ExportStudio.Web.Components.History;

/// <summary>How a History row speaks of a job: its duration and its filters, short enough for a table cell.</summary>
public static class HistoryText
{
    /// <summary>"420 ms", "3.4 s", "2 min 05 s", "1 h 02 min": precise where it is short, never "0.0 s".</summary>
    public static string Duration(TimeSpan duration) => duration switch
    {
        { TotalSeconds: < 1 } => $"{Math.Max(1, Math.Round(duration.TotalMilliseconds)):0} ms",
        { TotalSeconds: < 10 } => duration.TotalSeconds.ToString("0.0#", CultureInfo.InvariantCulture) + " s",
        { TotalSeconds: < 60 } => duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        { TotalHours: < 1 } => $"{(int)duration.TotalMinutes} min {duration.Seconds:00} s",
        _ => $"{(int)duration.TotalHours} h {duration.Minutes:00} min",
    };

    public static string Duration(ExportJob job) => job is { StartedAt: { } start, CompletedAt: { } end } ? Duration(end - start) : "–";

    /// <summary>"2026-01-01 – 2026-01-31 · models: gpt-4o · “refund”", or "all sessions".</summary>
    public static string Filters(ExportFilters filters)
    {
        var parts = new List<string>();
        var from = filters.From?.ToString(BrowserClock.DateFormat, CultureInfo.InvariantCulture);
        var to = filters.To?.ToString(BrowserClock.DateFormat, CultureInfo.InvariantCulture);
        parts.Add((from, to) switch
        {
            (null, null) => "",
            ({ } f, null) => $"from {f}",
            (null, { } t) => $"until {t}",
            var (f, t) => f == t ? $"on {f}" : $"{f} – {t}",
        });
        if (filters.SessionIds.Count > 0)
        {
            parts.Add(filters.SessionIds.Count == 1 ? "1 picked session" : $"{filters.SessionIds.Count} picked sessions");
        }
        parts.Add(List("model", filters.Models));
        parts.Add(List("tag", filters.Tags));
        if (!string.IsNullOrWhiteSpace(filters.Search))
        {
            var search = filters.Search.Trim();
            parts.Add($"“{(search.Length > 30 ? search[..30] + "…" : search)}”");
        }
        var summary = string.Join(" · ", parts.Where(p => p.Length > 0));
        return summary.Length == 0 ? "all sessions" : summary;
    }

    private static string List(string noun, IReadOnlyList<string> values) => values.Count switch
    {
        0 => "",
        1 => $"{noun}: {values[0]}",
        2 => $"{noun}s: {values[0]}, {values[1]}",
        var n => $"{noun}s: {values[0]}, {values[1]} +{n - 2}",
    };
}
