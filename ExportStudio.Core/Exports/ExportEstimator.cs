using System.Diagnostics;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Formats;
using ExportStudio.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Exports;

/// <summary>
/// Estimates an export before it runs by doing a small one for real: a sample of the actual selection is
/// written with the real writers and compressed with each candidate codec, then scaled to the selection.
/// </summary>
public sealed class ExportEstimator(IDbContextFactory<ExportStudioDbContext> contextFactory, CompressionService compression)
{
    private const int SampleSessions = 150;

    public async Task<ExportEstimate> EstimateAsync(ExportRequest request, CancellationToken cancellationToken = default)
    {
        var normalized = request.Normalize();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var selection = await ExportSessionSource.SelectAsync(db, normalized.Filters, cancellationToken);
        var messages = normalized.Options.IncludeMessages ? selection.MessageCount : 0;
        if (selection.SessionCount == 0 || normalized.Formats.Count == 0)
        {
            return new ExportEstimate(selection.SessionCount, messages, 0, []);
        }

        // Evenly spaced sessions represent the whole selection better than the first few.
        var step = Math.Max(1, selection.SessionCount / SampleSessions);
        var sampleIds = selection.SessionIds.Where((_, i) => i % step == 0).Take(SampleSessions).ToList();
        var sample = new ExportSelection(sampleIds, 0);

        var documents = new List<byte[]>();
        foreach (var format in normalized.Formats)
        {
            using var buffer = new MemoryStream();
            await using (var writer = ExportWriter.Create(format, buffer, normalized.Options))
            {
                await writer.WriteHeaderAsync(new ExportDocumentHeader { ExportedAt = DateTime.UtcNow, Options = normalized.Options }, cancellationToken);
                await foreach (var session in ExportSessionSource.ReadAsync(db, sample, normalized.Options, cancellationToken: cancellationToken))
                {
                    await writer.WriteSessionAsync(session, cancellationToken);
                }
                await writer.WriteFooterAsync(cancellationToken);
            }
            documents.Add(buffer.ToArray());
        }

        var scale = (double)selection.SessionCount / sampleIds.Count;
        var sampleBytes = documents.Sum(d => (long)d.Length);
        var candidates = new List<CodecEstimate>();
        foreach (var (format, level) in Candidates(normalized))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = documents.Select((bytes, i) => new ExportEntry($"sample.{normalized.Formats[i].GetFileExtension()}", async (stream, ct) => await stream.WriteAsync(bytes, ct))).ToList();
            var stopwatch = Stopwatch.StartNew();
            var stats = await compression.CompressAsync(Stream.Null, format, level, entries, DateTime.UtcNow, cancellationToken: cancellationToken);
            stopwatch.Stop();
            candidates.Add(new CodecEstimate(format, level, (long)(stats.StoredBytes * scale), stats.SavingsPercent, stopwatch.Elapsed * scale));
        }
        return new ExportEstimate(selection.SessionCount, messages, (long)(sampleBytes * scale), candidates);
    }

    /// <summary>No compression, tar.gz and zstd (tar and tar.zst for bundles), each at the chosen level when it applies.</summary>
    private static IEnumerable<(CompressionFormat Format, int? Level)> Candidates(ExportRequest request)
    {
        var chosen = request.Options.CompressionFormat;
        int? LevelFor(CompressionFormat format) =>
            format == chosen ? request.Options.CompressionLevel : format.GetLevelRange()?.Default;

        var formats = request.IsBundle
            ? new[] { CompressionFormat.Tar, CompressionFormat.TarGz, CompressionFormat.TarZst }
            : new[] { CompressionFormat.None, CompressionFormat.TarGz, CompressionFormat.Zstd };
        return formats.Select(f => (f, LevelFor(f)));
    }
}

/// <summary>What an export is expected to produce: its size uncompressed, and per candidate codec.</summary>
public sealed record ExportEstimate(int Sessions, int Messages, long EstimatedOriginalBytes, IReadOnlyList<CodecEstimate> Candidates)
{
    public CodecEstimate? For(CompressionFormat format) => Candidates.FirstOrDefault(c => c.Format == format);
}

public sealed record CodecEstimate(CompressionFormat Format, int? Level, long EstimatedBytes, double SavingsPercent, TimeSpan EstimatedTime);
