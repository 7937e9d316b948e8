using System.Text.Json;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Exports;
using ExportStudio.Core.Formats;

namespace ExportStudio.Web.Api;

/// <summary>The body of <c>POST /api/v1/export</c>, as sent on the wire.</summary>
public sealed record CreateExportBody
{
    /// <summary>json, jsonl, csv or markdown.</summary>
    public string? Format { get; init; }

    /// <summary>Two or more formats make one archive (tar, tar.gz or tar.zst).</summary>
    public List<string>? Formats { get; init; }

    public ExportFiltersBody? Filters { get; init; }
    public ExportOptionsBody? Options { get; init; }
}

public sealed record ExportFiltersBody
{
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public List<string>? SessionIds { get; init; }
    public List<string>? Models { get; init; }
    public List<string>? Tags { get; init; }
    public string? Search { get; init; }
}

public sealed record ExportOptionsBody
{
    public bool? IncludeMessages { get; init; }
    public bool? IncludeMetadata { get; init; }
    public bool? IncludeToolCalls { get; init; }

    /// <summary>none, zstd, tar.gz, tar.zst or tar.</summary>
    public string? CompressionFormat { get; init; }

    /// <summary>1-22 for zstd and tar.zst, 1-9 for tar.gz; ignored for none and tar.</summary>
    public JsonElement? CompressionLevel { get; init; }
}

/// <summary>The job resource (design.md, "HTTP API").</summary>
public sealed record ExportJobResource(
    Guid JobId,
    string Status,
    string Format,
    IReadOnlyList<string> Formats,
    ExportFiltersResource Filters,
    ExportOptionsResource Options,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? CompletedAt,
    int SessionCount,
    int MessageCount,
    ExportProgressResource Progress,
    string CompressionFormat,
    double? CompressionSavings,
    string? Error,
    ExportFileInfoResource? FileInfo,
    ExportLinksResource Links);

public sealed record ExportFiltersResource(DateTime? From, DateTime? To, IReadOnlyList<Guid> SessionIds, IReadOnlyList<string> Models, IReadOnlyList<string> Tags, string? Search);

public sealed record ExportOptionsResource(bool IncludeMessages, bool IncludeMetadata, bool IncludeToolCalls, string CompressionFormat, int? CompressionLevel);

public sealed record ExportProgressResource(string Stage, double Percent, string? Message, long BytesIn, long BytesOut, double EstimatedSavings);

public sealed record ExportFileInfoResource(
    string FileName,
    string ContentType,
    long Size,
    long CompressedSize,
    double CompressionRatio,
    string CompressionFormat,
    double CompressionSavingsPercent,
    string Sha256);

public sealed record ExportLinksResource(string Self, string? Download, string? DownloadDecompressed);

public sealed record ExportJobListResource(IReadOnlyList<ExportJobResource> Items, int Total, int Page, int PageSize);

internal static class ExportJobMapping
{
    public static ExportJobResource ToResource(this ExportJob job)
    {
        var self = $"/api/v1/export/{job.Id}";
        var completed = job.Status == ExportJobStatus.Completed && job.FileName is not null;
        var savings = completed ? Savings(job.OriginalBytes!.Value, job.StoredBytes!.Value) : (double?)null;
        return new ExportJobResource(
            job.Id,
            job.Status.ToWireName(),
            job.PrimaryFormat.GetWireName(),
            job.Formats.Select(f => f.GetWireName()).ToList(),
            new ExportFiltersResource(job.Filters.From, job.Filters.To, job.Filters.SessionIds, job.Filters.Models, job.Filters.Tags, job.Filters.Search),
            new ExportOptionsResource(job.Options.IncludeMessages, job.Options.IncludeMetadata, job.Options.IncludeToolCalls,
                job.CompressionFormat.GetWireName(), job.Options.CompressionLevel),
            job.CreatedAt,
            job.StartedAt,
            job.CompletedAt,
            job.SessionCount,
            job.MessageCount,
            new ExportProgressResource(job.Stage.ToWireName(), job.Percent, job.ProgressMessage, job.BytesIn, job.BytesOut, Savings(job.BytesIn, job.BytesOut)),
            job.CompressionFormat.GetWireName(),
            savings,
            job.Error,
            completed
                ? new ExportFileInfoResource(
                    job.FileName!,
                    job.ContentType!,
                    job.OriginalBytes!.Value,
                    job.StoredBytes!.Value,
                    job.StoredBytes == 0 ? 1 : Math.Round((double)job.OriginalBytes!.Value / job.StoredBytes!.Value, 3),
                    job.CompressionFormat.GetWireName(),
                    savings!.Value,
                    job.Sha256!)
                : null,
            new ExportLinksResource(self, completed ? $"{self}/download" : null, completed && job.CompressionFormat != Core.Compression.CompressionFormat.None ? $"{self}/download?decompress=true" : null));
    }

    /// <summary>Percent saved; 0 for an empty export, never a division by zero.</summary>
    private static double Savings(long original, long stored) =>
        original <= 0 || stored <= 0 ? 0 : Math.Round((1 - (double)stored / original) * 100, 1);

    /// <summary>Turns the wire body into a request, collecting every problem by field.</summary>
    public static ExportRequest? ToRequest(this CreateExportBody body, Dictionary<string, List<string>> errors)
    {
        void Add(string field, string message) =>
            (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        var formats = new List<ExportFormat>();
        var names = body.Formats is { Count: > 0 } ? body.Formats : body.Format is null ? [] : [body.Format];
        if (body.Formats is { Count: > 0 } && body.Format is not null && !body.Formats.Contains(body.Format, StringComparer.OrdinalIgnoreCase))
        {
            Add("format", $"'format' is '{body.Format}' but 'formats' does not include it; send one or the other, or make 'format' the first of 'formats'.");
        }
        if (names.Count == 0)
        {
            Add("format", $"A format is required: one of {ExportFormatFacts.AllowedWireNames} ('format'), or several in 'formats'.");
        }
        for (var i = 0; i < names.Count; i++)
        {
            if (ExportFormatFacts.TryParseWireName(names[i], out var format))
            {
                formats.Add(format);
            }
            else
            {
                Add(body.Formats is { Count: > 0 } ? $"formats[{i}]" : "format", $"Unknown format '{names[i]}'. Allowed formats: {ExportFormatFacts.AllowedWireNames}.");
            }
        }

        var options = body.Options ?? new ExportOptionsBody();
        var compression = CompressionFormat.None;
        if (options.CompressionFormat is not null && !CompressionFormatFacts.TryParseWireName(options.CompressionFormat, out compression))
        {
            Add("options.compressionFormat", $"Unknown compression format '{options.CompressionFormat}'. Allowed: {CompressionFormatFacts.AllowedWireNames}.");
        }

        int? level = null;
        if (options.CompressionLevel is { ValueKind: not JsonValueKind.Null } raw)
        {
            if (raw.ValueKind == JsonValueKind.Number && raw.TryGetInt32(out var parsed))
            {
                level = parsed;
            }
            else
            {
                var range = compression.GetLevelRange();
                Add("options.compressionLevel", $"The compression level must be a whole number{(range is null ? "" : $" from {range.Min} to {range.Max} for {compression.GetWireName()}")}; got {raw.GetRawText()}.");
            }
        }

        var sessionIds = new List<Guid>();
        var rawIds = body.Filters?.SessionIds ?? [];
        for (var i = 0; i < rawIds.Count; i++)
        {
            if (Guid.TryParse(rawIds[i], out var id))
            {
                sessionIds.Add(id);
            }
            else
            {
                Add($"filters.sessionIds[{i}]", $"'{Truncate(rawIds[i])}' is not a session id; ids are GUIDs such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301.");
            }
        }

        var filters = body.Filters ?? new ExportFiltersBody();
        return new ExportRequest
        {
            Formats = formats,
            Filters = new ExportFilters
            {
                From = AsUtc(filters.From),
                To = AsUtc(filters.To),
                SessionIds = sessionIds,
                Models = filters.Models ?? [],
                Tags = filters.Tags ?? [],
                Search = filters.Search,
            },
            Options = new ExportOptions
            {
                IncludeMessages = options.IncludeMessages ?? true,
                IncludeMetadata = options.IncludeMetadata ?? true,
                IncludeToolCalls = options.IncludeToolCalls ?? true,
                CompressionFormat = compression,
                CompressionLevel = level,
            },
        };
    }

    /// <summary>A time without an offset ("2026-01-01") means UTC, as every time in the API does.</summary>
    private static DateTime? AsUtc(DateTime? value) => value?.Kind switch
    {
        null => null,
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value.Value, DateTimeKind.Utc),
        _ => value.Value.ToUniversalTime(),
    };

    private static string Truncate(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
