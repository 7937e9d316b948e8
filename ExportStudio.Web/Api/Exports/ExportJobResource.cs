
namespace ExportStudio.Web.Api.Exports;

/// <summary>The job resource.</summary>
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
            new ExportFiltersResource(job.Filters.From, job.Filters.To, job.Filters.SessionIds, job.Filters.Models, job.Filters.Tags, job.Filters.Search),
            new ExportOptionsResource(job.Options.IncludeMessages, job.Options.IncludeMetadata, job.Options.IncludeToolCalls,
                job.CompressionFormat.GetWireName(), job.Options.CompressionLevel, job.Options.Layout.GetWireName(), job.Options.Dictionary == true),
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
                downloads?.Decompressed is null ? null : $"{self}/download?decompress=true"));
    }

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
