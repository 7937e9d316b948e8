using System.Globalization;
using Microsoft.JSInterop;

namespace ExportStudio.Web.Components.Shared;

/// <summary>
/// The person's time zone, read from the browser once per circuit (the server only knows UTC): times are
/// shown in local time, with UTC on hover. Until the browser has answered (and while prerendering) it is UTC.
/// </summary>
public sealed record BrowserClock(TimeZoneInfo Zone)
{
    public const string DateFormat = "yyyy-MM-dd";
    public const string DateTimeFormat = "yyyy-MM-dd HH:mm";

    public static BrowserClock Utc { get; } = new(TimeZoneInfo.Utc);

    public bool IsUtc => Zone == TimeZoneInfo.Utc;

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>"2026-01-15 15:03" in the person's zone (marked "UTC" when that is what it is).</summary>
    public string Local(DateTime utc) => ToLocal(utc).ToString(DateTimeFormat, CultureInfo.InvariantCulture) + (IsUtc ? " UTC" : "");

    /// <summary>"2026-01-15 14:03:05 UTC", for the hover text.</summary>
    public static string UtcText(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static async Task<BrowserClock> ReadAsync(IJSRuntime js)
    {
        var zone = await js.InvokeAsync<BrowserZone?>("exportStudioBrowser.timeZone");
        return zone is null ? Utc : new BrowserClock(Resolve(zone));
    }

    /// <summary>The IANA zone when this machine knows it (daylight saving included); otherwise the browser's current offset.</summary>
    private static TimeZoneInfo Resolve(BrowserZone zone)
    {
        if (zone.Name is { Length: > 0 } name && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var found))
        {
            return found;
        }
        return zone.OffsetMinutes == 0
            ? TimeZoneInfo.Utc
            : TimeZoneInfo.CreateCustomTimeZone("browser", TimeSpan.FromMinutes(zone.OffsetMinutes), $"UTC{zone.OffsetMinutes / 60.0:+0.##;-0.##}", "browser");
    }

    internal sealed record BrowserZone(string? Name, int OffsetMinutes);
}
