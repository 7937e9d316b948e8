using Microsoft.EntityFrameworkCore;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Reading;
using ExportStudio.Core.Exporting.Writers;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Exporting.Planning;

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
        await using var reader = await ExportSessionReader.OpenAsync(contextFactory, connections: 1, cancellationToken);
        var selection = await SessionSelection.SelectAsync(reader.Database, normalized.Filters, cancellationToken);
        var messages = normalized.Options.IncludeMessages ? selection.MessageCount : 0;
        if (selection.SessionCount == 0 || normalized.Formats.Count == 0)
        {
            return new ExportEstimate(selection.SessionCount, messages, 0, []);
        }

        // Evenly spaced sessions represent the whole selection better than the first few.
        var step = Math.Max(1, selection.SessionCount / SampleSessions);
        var sample = new SessionSelection(selection.SessionIds.Where((_, i) => i % step == 0).Take(SampleSessions).ToList(), 0);
        var documents = new List<byte[]>();
        foreach (var format in normalized.Formats)
        {
            documents.Add(await WriteSampleAsync(reader, sample, format, normalized.Options, cancellationToken));
        }

        var scale = (double)selection.SessionCount / sample.SessionCount;
        var candidates = new List<CodecEstimate>();
        foreach (var (format, level) in Candidates(normalized))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sources = documents.Select((bytes, i) => new CompressionSource($"sample.{normalized.Formats[i].GetFileExtension()}", new MemoryStream(bytes, writable: false))).ToList();
            var started = TimeProvider.System.GetTimestamp();
            var stats = await compression.CompressAsync(Stream.Null, format, level, sources, DateTime.UtcNow, cancellationToken: cancellationToken);
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            candidates.Add(new CodecEstimate(format, level, (long)(stats.StoredBytes * scale), stats.SavingsPercent, elapsed * scale));
        }
        return new ExportEstimate(selection.SessionCount, messages, (long)(documents.Sum(d => (long)d.Length) * scale), candidates);
    }

    private static async Task<byte[]> WriteSampleAsync(ExportSessionReader reader, SessionSelection sample, ExportFormat format, ExportOptions options, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var writer = ExportWriter.Create(format, buffer, options))
        {
            await writer.WriteHeaderAsync(new ExportDocumentHeader { ExportedAt = DateTime.UtcNow, Options = options, Contents = reader.ReadHeadingsAsync(sample) }, cancellationToken);
            await foreach (var session in reader.ReadAsync(sample, options, cancellationToken))
            {
                await writer.WriteSessionAsync(session, cancellationToken);
            }
            await writer.WriteFooterAsync(cancellationToken);
        }
        return buffer.ToArray();
    }

    /// <summary>No compression, tar.gz and zstd, as each runs for this request (a bundle makes them tar and tar.zst), at the chosen level where it applies.</summary>
    private static IEnumerable<(CompressionFormat Format, int? Level)> Candidates(ExportRequest request)
    {
        var chosen = request.Options.CompressionFormat;
        return new[] { CompressionFormat.None, CompressionFormat.TarGz, CompressionFormat.Zstd }
            .Select(f => ExportRequest.RunsAs(f, request.IsBundle))
            .Select(f => (f, f == chosen ? request.Options.CompressionLevel : f.GetLevelRange()?.Default));
    }
}

/// <summary>What an export is expected to produce: its size uncompressed, and per candidate codec.</summary>
public sealed record ExportEstimate(int Sessions, int Messages, long EstimatedOriginalBytes, IReadOnlyList<CodecEstimate> Candidates)
{
    public CodecEstimate? For(CompressionFormat format) => Candidates.FirstOrDefault(c => c.Format == format);
}

public sealed record CodecEstimate(CompressionFormat Format, int? Level, long EstimatedBytes, double SavingsPercent, TimeSpan EstimatedTime);
