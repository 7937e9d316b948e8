using ExportStudio.Core.Compression;

namespace ExportStudio.Core.Exporting.Planning;

public sealed record CompressionRecommendation(CompressionFormat Format, string Reason);

/// <summary>When to use tar.gz, zstd or no compression, applied to this data and this person's environment.</summary>
public static class CompressionRecommender
{
    /// <summary>Below this (about a megabyte), compression is not worth the extra step of opening the file.</summary>
    public const long SmallExportBytes = 1_000_000;

    /// <summary>
    /// The sample is compressed once, so its timings jitter by tens of percent between two estimates of the
    /// same data: speed is claimed only in words, and only when zstd is clearly ahead.
    /// </summary>
    private const double FasterRatio = 1.1;

    public static CompressionRecommendation Recommend(ExportEstimate estimate, ClientEnvironment client, bool bundle)
    {
        var none = ExportRequest.RunsAs(CompressionFormat.None, bundle);
        var zstdFormat = ExportRequest.RunsAs(CompressionFormat.Zstd, bundle);
        if (estimate.EstimatedOriginalBytes < SmallExportBytes)
        {
            return new(none, $"About {Bytes(estimate.EstimatedOriginalBytes)}: small exports aren't worth compressing — {(bundle ? "a plain tar" : "the file")} opens directly, with no tool.");
        }

        var gzip = estimate.For(CompressionFormat.TarGz);
        var zstd = estimate.For(zstdFormat);
        if (client.IsWindows || zstd is null)
        {
            return new(CompressionFormat.TarGz, $"tar.gz opens on Windows and everywhere else without extra tools{(gzip is null ? "" : $", and saves about {gzip.SavingsPercent:0}% here")}.");
        }
        if (gzip is not null && zstd.EstimatedBytes <= gzip.EstimatedBytes * 1.02)
        {
            var smaller = gzip.EstimatedBytes == 0 ? 0 : (1 - (double)zstd.EstimatedBytes / gzip.EstimatedBytes) * 100;
            var faster = zstd.EstimatedTime.TotalMilliseconds <= 0 ? 1 : gzip.EstimatedTime.TotalMilliseconds / zstd.EstimatedTime.TotalMilliseconds;
            var originalNote = client.AcceptsZstd
                ? " Your browser decodes zstd itself, so the Original download costs the server nothing."
                : " Use the Original button if you have no zstd tool.";
            return new(zstdFormat, $"{zstdFormat.GetWireName()} saves about {zstd.SavingsPercent:0}%{(smaller >= 1 ? $" ({smaller:0}% smaller than tar.gz)" : "")}{(faster >= FasterRatio ? " and compresses faster" : "")} for this data.{originalNote}");
        }
        return new(CompressionFormat.TarGz, $"tar.gz is the smaller choice for this data (about {gzip!.SavingsPercent:0}% saved) and opens everywhere.");
    }

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0} KB",
        _ => $"{bytes / 1024.0 / 1024:0.0} MB",
    };
}
