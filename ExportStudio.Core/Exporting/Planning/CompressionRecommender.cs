using ExportStudio.Core.Compression;

namespace ExportStudio.Core.Exporting.Planning;

/// <summary>What to choose and why; <paramref name="Layout"/> and <paramref name="Dictionary"/> say how the sessions are laid out in the file.</summary>
public sealed record CompressionRecommendation(CompressionFormat Format, string Reason, ArchiveLayout Layout = ArchiveLayout.Document, bool Dictionary = false);

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

    /// <summary>
    /// Sessions smaller than this on average share more with each other than zstd finds inside one of them:
    /// there a dictionary pays (zstd's own guidance puts its gains in records under about 100 KB).
    /// </summary>
    public const long SmallSessionBytes = 64 * 1024;

    /// <summary>A dictionary is recommended only when it saves at least this share of the per-session archive.</summary>
    private const double DictionaryGain = 0.05;

    /// <param name="layout">The layout asked for: per-session means one session at a time matters more than the smallest file.</param>
    public static CompressionRecommendation Recommend(ExportEstimate estimate, ClientEnvironment client, bool bundle, ArchiveLayout layout = ArchiveLayout.Document)
    {
        var recommendation = RecommendSolid(estimate, client, bundle);
        if (estimate.PerSession is not { } perSession || estimate.EstimatedOriginalBytes < SmallExportBytes && layout == ArchiveLayout.Document)
        {
            return recommendation;
        }
        var dictionaryPays = perSession.WithDictionaryBytes is { } withDictionary
            && withDictionary <= perSession.WithoutDictionaryBytes * (1 - DictionaryGain)
            && perSession.MeanSessionBytes < SmallSessionBytes;
        var solid = estimate.For(CompressionFormat.TarZst) ?? estimate.For(CompressionFormat.Zstd);
        var solidNote = solid is null ? "" : $" (one solid {solid.Format.GetWireName()} would be about {Bytes(solid.EstimatedBytes)}, but must be unpacked whole)";
        if (layout == ArchiveLayout.PerSession)
        {
            return dictionaryPays
                ? new(CompressionFormat.Zstd,
                    $"Per-session zstd with a dictionary: sessions average {Bytes(perSession.MeanSessionBytes)}, too small for zstd to learn much from each alone. " +
                    $"A dictionary trained on your selection makes the archive about {Bytes(perSession.WithDictionaryBytes!.Value)} instead of {Bytes(perSession.WithoutDictionaryBytes)}{solidNote}; " +
                    "every session still opens on its own (zstd -D dictionary.zdict -d) and downloads with one Range request.",
                    ArchiveLayout.PerSession, Dictionary: true)
                : new(CompressionFormat.Zstd,
                    $"Per-session zstd: about {Bytes(perSession.WithoutDictionaryBytes)}{solidNote}; each session opens on its own with plain zstd -d. " +
                    (perSession.WithDictionaryBytes is null
                        ? "The selection is too small to train a dictionary on."
                        : $"A dictionary would save little here (about {Bytes(perSession.WithDictionaryBytes.Value)}): sessions average {Bytes(perSession.MeanSessionBytes)}."),
                    ArchiveLayout.PerSession, Dictionary: false);
        }
        if (dictionaryPays && recommendation.Format.IsCompressed())
        {
            return recommendation with
            {
                Reason = recommendation.Reason +
                    $" Need sessions one at a time? Layout per session with a dictionary would be about {Bytes(perSession.WithDictionaryBytes!.Value)}, each session readable alone.",
            };
        }
        return recommendation;
    }

    private static CompressionRecommendation RecommendSolid(ExportEstimate estimate, ClientEnvironment client, bool bundle)
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
