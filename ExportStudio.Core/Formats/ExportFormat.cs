namespace ExportStudio.Core.Formats;

public enum ExportFormat
{
    Json,
    JsonLines,
    Csv,
    Markdown,
}

/// <summary>Every fact about an export format, in one place.</summary>
public static class ExportFormatFacts
{
    public static IReadOnlyList<ExportFormat> All { get; } = [ExportFormat.Json, ExportFormat.JsonLines, ExportFormat.Csv, ExportFormat.Markdown];

    /// <summary>The name used on the wire (API bodies, job resource): json, jsonl, csv, markdown.</summary>
    public static string GetWireName(this ExportFormat format) => format switch
    {
        ExportFormat.Json => "json",
        ExportFormat.JsonLines => "jsonl",
        ExportFormat.Csv => "csv",
        ExportFormat.Markdown => "markdown",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>File extension without the dot.</summary>
    public static string GetFileExtension(this ExportFormat format) => format switch
    {
        ExportFormat.Json => "json",
        ExportFormat.JsonLines => "jsonl",
        ExportFormat.Csv => "csv",
        ExportFormat.Markdown => "md",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string GetMediaType(this ExportFormat format) => format switch
    {
        ExportFormat.Json => "application/json",
        ExportFormat.JsonLines => "application/x-ndjson",
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.Markdown => "text/markdown; charset=utf-8",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string GetDisplayName(this ExportFormat format) => format switch
    {
        ExportFormat.Json => "JSON",
        ExportFormat.JsonLines => "JSON Lines",
        ExportFormat.Csv => "CSV",
        ExportFormat.Markdown => "Markdown",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static bool TryParseWireName(string? value, out ExportFormat format)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.GetWireName(), value, StringComparison.OrdinalIgnoreCase))
            {
                format = candidate;
                return true;
            }
        }
        format = default;
        return false;
    }

    public static string AllowedWireNames { get; } = string.Join(", ", All.Select(f => f.GetWireName()));
}
