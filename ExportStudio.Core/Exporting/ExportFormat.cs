using System.Collections.Frozen;

namespace ExportStudio.Core.Exporting;

public enum ExportFormat
{
    Json,
    JsonLines,
    Csv,
    Markdown,
    Html,
}

/// <summary>Every fact about an export format, in one table: wire name, file extension, media type, display name.</summary>
public static class ExportFormatFacts
{
    private sealed record Facts(string WireName, string Extension, string MediaType, string DisplayName);

    private static readonly FrozenDictionary<ExportFormat, Facts> Table = new Dictionary<ExportFormat, Facts>
    {
        [ExportFormat.Json] = new("json", "json", "application/json", "JSON"),
        [ExportFormat.JsonLines] = new("jsonl", "jsonl", "application/x-ndjson", "JSON Lines"),
        [ExportFormat.Csv] = new("csv", "csv", "text/csv; charset=utf-8", "CSV"),
        [ExportFormat.Markdown] = new("markdown", "md", "text/markdown; charset=utf-8", "Markdown"),
        [ExportFormat.Html] = new("html", "html", "text/html; charset=utf-8", "HTML"),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, ExportFormat> ByWireName =
        Table.ToFrozenDictionary(entry => entry.Value.WireName, entry => entry.Key, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<ExportFormat> All { get; } = [ExportFormat.Json, ExportFormat.JsonLines, ExportFormat.Csv, ExportFormat.Markdown, ExportFormat.Html];

    public static string AllowedWireNames { get; } = string.Join(", ", All.Select(f => f.GetWireName()));

    /// <summary>The name used on the wire (API bodies, job resource): json, jsonl, csv, markdown, html.</summary>
    public static string GetWireName(this ExportFormat format) => Of(format).WireName;

    /// <summary>File extension without the dot.</summary>
    public static string GetFileExtension(this ExportFormat format) => Of(format).Extension;

    public static string GetMediaType(this ExportFormat format) => Of(format).MediaType;

    public static string GetDisplayName(this ExportFormat format) => Of(format).DisplayName;

    public static bool TryParseWireName(string? value, out ExportFormat format) => ByWireName.TryGetValue(value ?? "", out format);

    private static Facts Of(ExportFormat format) =>
        Table.TryGetValue(format, out var facts) ? facts : throw new ArgumentOutOfRangeException(nameof(format), format, null);
}
