
namespace ExportStudio.Web.Api.Exports;

/// <summary>
/// An export job as the API shows it: what was asked, how far it is, what it made; a schedule's run says
/// which schedule and slot, and what its increment holds. <c>dictionary</c> says which dictionary the
/// file's frames name (null when none), and a completed job's <c>options.dictionary</c> says whether one
/// was used — not merely asked for: too few sessions to train on leave the file without.
/// </summary>
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
    ExportLinksResource Links,
    Guid? ScheduleId = null,
    DateTime? ScheduledFor = null,
    ExportIncrementResource? Increment = null,
    ExportDictionaryResource? Dictionary = null);

/// <summary>
/// The zstd dictionary the job's frames name: its zstd <c>id</c>, whether this run trained it, the ratio the
/// frames got with it, and for a schedule's kept dictionary where to download it (<c>href</c>; null for a
/// dictionary that travels only inside its per-session archive as dictionary.zdict).
/// </summary>
public sealed record ExportDictionaryResource(uint Id, bool Trained, double? Ratio, string? Href);

/// <summary>What an incremental run of a schedule holds: the changes after <c>fromSequence</c> (null: from the start) up to <c>toSequence</c>.</summary>
public sealed record ExportIncrementResource(long? FromSequence, long? ToSequence, int? DeletedSessions);

public sealed record ExportFiltersResource(DateTime? From, DateTime? To, IReadOnlyList<Guid> SessionIds, IReadOnlyList<string> Models, IReadOnlyList<string> Tags, string? Search)
{
    /// <summary>Where the selected sessions came from (<c>chatgpt</c>, <c>claude</c>, …); empty for any.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
}

public sealed record ExportOptionsResource(
    bool IncludeMessages, bool IncludeMetadata, bool IncludeToolCalls, string CompressionFormat, int? CompressionLevel, string Layout, bool Dictionary);

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
    public static string SelfLink(Guid jobId) => $"/api/v1/export/{jobId}";

    public static ExportJobResource ToResource(this ExportJob job)
    {
        var self = SelfLink(job.Id);
        var downloads = job.Downloads;
        var savings = downloads is null ? (double?)null : Savings.Percent(job.OriginalBytes!.Value, job.StoredBytes!.Value);
        return new ExportJobResource(
            job.Id,
            job.Status.ToWireName(),
            job.PrimaryFormat.GetWireName(),
            job.Formats.Select(f => f.GetWireName()).ToList(),
            FiltersOf(job.Filters),
            OptionsOf(job.Options, job.UsedDictionary),
            job.CreatedAt,
            job.StartedAt,
            job.CompletedAt,
            job.SessionCount,
            job.MessageCount,
            new ExportProgressResource(job.Stage.ToWireName(), job.Percent, job.ProgressMessage, job.BytesIn, job.BytesOut, Savings.Percent(job.BytesIn, job.BytesOut)),
            job.CompressionFormat.GetWireName(),
            savings,
            job.Error,
            downloads is null ? null : FileInfoOf(job, savings!.Value),
            new ExportLinksResource(self,
                downloads is null ? null : $"{self}/download",
                downloads?.Decompressed is null ? null : $"{self}/download?decompress=true"),
            job.ScheduleId,
            job.ScheduledFor,
            job.Incremental ? new ExportIncrementResource(job.IncrementFrom, job.IncrementTo, job.DeletedSessionCount) : null,
            job.FrameDictionaryId is { } frameDictionary and not 0
                ? new ExportDictionaryResource(frameDictionary, job.DictionaryTrained, job.DictionaryRatio is { } ratio ? Math.Round(ratio, 3) : null,
                    job.KeptDictionaryId is { } kept ? Dictionaries.DictionaryEndpoints.Link(kept) : null)
                : null);
    }

    public static ExportFiltersResource FiltersOf(ExportFilters filters) =>
        new(filters.From, filters.To, filters.SessionIds, filters.Models, filters.Tags, filters.Search) { Sources = filters.Sources };

    /// <param name="dictionaryUsed">For a finished run, whether its file uses a dictionary (which replaces what was asked); null to show what was asked.</param>
    public static ExportOptionsResource OptionsOf(ExportOptions options, bool? dictionaryUsed = null) =>
        new(options.IncludeMessages, options.IncludeMetadata, options.IncludeToolCalls, options.CompressionFormat.GetWireName(), options.CompressionLevel,
            options.Layout.GetWireName(), dictionaryUsed ?? options.Dictionary == true);

    private static ExportFileInfoResource FileInfoOf(ExportJob job, double savings) => new(
        job.FileName!,
        job.ContentType!,
        job.OriginalBytes!.Value,
        job.StoredBytes!.Value,
        Savings.Ratio(job.OriginalBytes.Value, job.StoredBytes.Value),
        job.CompressionFormat.GetWireName(),
        savings,
        job.Sha256!);
}
