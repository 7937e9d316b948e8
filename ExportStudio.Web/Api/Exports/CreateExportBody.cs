using System.Text.Json;
using ExportStudio.Web.Api.Shared;

namespace ExportStudio.Web.Api.Exports;

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

    /// <summary>Sources sessions were imported from (chatgpt, claude, openwebui, …): any of them matches.</summary>
    public List<string>? Sources { get; init; }
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

    /// <summary>document (one file per format, the default) or per-session (one file per session and format, with a manifest).</summary>
    public string? Layout { get; init; }

    /// <summary>true or false: a zstd dictionary for per-session zstd archives; on there unless false.</summary>
    public JsonElement? Dictionary { get; init; }
}

internal static class CreateExportBodyMapping
{
    /// <summary>Turns the wire body into a request, collecting every problem by field.</summary>
    public static ExportRequest ToRequest(this CreateExportBody body, Dictionary<string, List<string>> errors)
    {
        var problems = new FieldProblems(errors);
        var options = body.Options ?? new ExportOptionsBody();
        var compression = ParseCompression(options, problems);
        var filters = body.Filters ?? new ExportFiltersBody();
        return new ExportRequest
        {
            Formats = ParseFormats(body, problems),
            Filters = new ExportFilters
            {
                From = WireTimes.AsUtc(filters.From),
                To = WireTimes.AsUtc(filters.To),
                SessionIds = ParseSessionIds(filters.SessionIds ?? [], problems),
                Models = filters.Models ?? [],
                Tags = filters.Tags ?? [],
                Sources = filters.Sources ?? [],
                Search = filters.Search,
            },
            Options = new ExportOptions
            {
                IncludeMessages = options.IncludeMessages ?? true,
                IncludeMetadata = options.IncludeMetadata ?? true,
                IncludeToolCalls = options.IncludeToolCalls ?? true,
                CompressionFormat = compression,
                CompressionLevel = ParseLevel(options, compression, problems),
                Layout = ParseLayout(options, problems),
                Dictionary = ParseDictionary(options, problems),
            },
        };
    }

    private static List<ExportFormat> ParseFormats(CreateExportBody body, FieldProblems problems)
    {
        var formats = new List<ExportFormat>();
        var several = body.Formats is { Count: > 0 };
        var names = several ? body.Formats! : body.Format is null ? [] : [body.Format];
        if (several && body.Format is not null && !body.Formats!.Contains(body.Format, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add("format", $"'format' is '{body.Format}' but 'formats' does not include it; send one or the other, or make 'format' the first of 'formats'.");
        }
        if (names.Count == 0)
        {
            problems.Add("format", $"A format is required: one of {ExportFormatFacts.AllowedWireNames} ('format'), or several in 'formats'.");
        }
        for (var i = 0; i < names.Count; i++)
        {
            if (ExportFormatFacts.TryParseWireName(names[i], out var format))
            {
                formats.Add(format);
            }
            else
            {
                problems.Add(several ? $"formats[{i}]" : "format", $"Unknown format '{names[i]}'. Allowed formats: {ExportFormatFacts.AllowedWireNames}.");
            }
        }
        return formats;
    }

    private static CompressionFormat ParseCompression(ExportOptionsBody options, FieldProblems problems)
    {
        var compression = CompressionFormat.None;
        if (options.CompressionFormat is not null && !CompressionFormatFacts.TryParseWireName(options.CompressionFormat, out compression))
        {
            problems.Add("options.compressionFormat", $"Unknown compression format '{options.CompressionFormat}'. Allowed: {CompressionFormatFacts.AllowedWireNames}.");
        }
        return compression;
    }

    private static int? ParseLevel(ExportOptionsBody options, CompressionFormat compression, FieldProblems problems)
    {
        if (options.CompressionLevel is not { ValueKind: not JsonValueKind.Null } raw)
        {
            return null;
        }
        if (raw.ValueKind == JsonValueKind.Number && raw.TryGetInt32(out var parsed))
        {
            return parsed;
        }
        var range = compression.GetLevelRange();
        problems.Add("options.compressionLevel", $"The compression level must be a whole number{(range is null ? "" : $" from {range.Min} to {range.Max} for {compression.GetWireName()}")}; got {raw.GetRawText()}.");
        return null;
    }

    private static ArchiveLayout ParseLayout(ExportOptionsBody options, FieldProblems problems)
    {
        var layout = ArchiveLayout.Document;
        if (options.Layout is not null && !ArchiveLayoutFacts.TryParseWireName(options.Layout, out layout))
        {
            problems.Add("options.layout", $"Unknown layout '{ApiProblems.Shown(options.Layout, 40)}'. Allowed: {ArchiveLayoutFacts.AllowedWireNames}.");
        }
        return layout;
    }

    private static bool? ParseDictionary(ExportOptionsBody options, FieldProblems problems) => options.Dictionary switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } raw => Problem(problems, "options.dictionary", $"options.dictionary must be true or false; got {ApiProblems.Shown(raw.GetRawText(), 40)}."),
    };

    private static bool? Problem(FieldProblems problems, string field, string message)
    {
        problems.Add(field, message);
        return null;
    }

    private static List<Guid> ParseSessionIds(List<string> raw, FieldProblems problems)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < raw.Count; i++)
        {
            if (Guid.TryParse(raw[i], out var id))
            {
                ids.Add(id);
            }
            else
            {
                problems.Add($"filters.sessionIds[{i}]", $"'{ApiProblems.Shown(raw[i], 60)}' is not a session id; ids are GUIDs such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301.");
            }
        }
        return ids;
    }
}
