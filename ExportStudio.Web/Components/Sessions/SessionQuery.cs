using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace ExportStudio.Web.Components.Sessions;

/// <summary>
/// The filters of the Sessions page, kept in the address (<c>?search=&amp;source=&amp;model=&amp;tag=&amp;from=&amp;to=</c>)
/// so that a reload or a shared link shows the same sessions, and the export panel can be opened with them.
/// Dates are days, as the export panel's date range takes them.
/// </summary>
public sealed record SessionQuery
{
    public string? Search { get; init; }
    public IReadOnlyList<string> Sources { get; init; } = [];
    public IReadOnlyList<string> Models { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Search) && Sources.Count == 0 && Models.Count == 0 && Tags.Count == 0 && From is null && To is null;

    /// <summary>The same selection an export with these filters makes: whole days, UTC.</summary>
    public ExportFilters ToFilters() => new()
    {
        Search = string.IsNullOrWhiteSpace(Search) ? null : Search,
        Sources = Sources,
        Models = Models,
        Tags = Tags,
        From = From is { } from ? DateTime.SpecifyKind(from.Date, DateTimeKind.Utc) : null,
        To = To is { } to ? DateTime.SpecifyKind(to.Date.AddDays(1).AddTicks(-1), DateTimeKind.Utc) : null,
    };

    /// <summary>The query string (with its "?", or empty), optionally with a page number past the first.</summary>
    public string ToQueryString(int page = 1)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (!string.IsNullOrWhiteSpace(Search))
        {
            pairs.Add(new("search", Search));
        }
        pairs.AddRange(Sources.Select(s => new KeyValuePair<string, string?>("source", s)));
        pairs.AddRange(Models.Select(m => new KeyValuePair<string, string?>("model", m)));
        pairs.AddRange(Tags.Select(t => new KeyValuePair<string, string?>("tag", t)));
        if (From is { } from)
        {
            pairs.Add(new("from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        if (To is { } to)
        {
            pairs.Add(new("to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        if (page > 1)
        {
            pairs.Add(new("page", page.ToString(CultureInfo.InvariantCulture)));
        }
        return pairs.Count == 0 ? "" : QueryString.Create(pairs).ToUriComponent();
    }

    /// <summary>Reads the address's values; a date that is not a day (yyyy-MM-dd) is ignored rather than guessed.</summary>
    public static SessionQuery Read(string? search, string[]? sources, string[]? models, string[]? tags, string? from, string? to) => new()
    {
        Search = string.IsNullOrWhiteSpace(search) ? null : search,
        Sources = Clean(sources),
        Models = Clean(models),
        Tags = Clean(tags),
        From = Day(from),
        To = Day(to),
    };

    private static List<string> Clean(string[]? values) => values?.Where(v => !string.IsNullOrWhiteSpace(v)).Distinct().ToList() ?? [];

    private static DateTime? Day(string? text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
