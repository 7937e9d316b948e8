using Microsoft.EntityFrameworkCore;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Compression.Archives;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Reading;
using ExportStudio.Core.Exporting.Writers;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Exporting.Planning;

/// <summary>
/// Estimates an export before it runs by doing a small one for real: a sample of the actual selection is
/// written with the real writers and compressed with each candidate codec, then scaled to the selection.
/// The per-session layout is estimated the same way: each sampled session's documents compressed as zstd
/// frames of their own, without and with a dictionary (trained on half of the sample and measured on the
/// other half, so the estimate does not flatter a dictionary that has seen what it compresses).
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
        var perSession = await EstimatePerSessionAsync(reader, sample, normalized, scale, cancellationToken);
        return new ExportEstimate(selection.SessionCount, messages, (long)(documents.Sum(d => (long)d.Length) * scale), candidates, perSession);
    }

    /// <summary>What each entry of a per-session archive adds around its data: a tar header, half a block of padding on average, and its manifest line.</summary>
    internal const int PerSessionEntryOverhead = 512 + 256 + 280;

    private static async Task<PerSessionEstimate?> EstimatePerSessionAsync(ExportSessionReader reader, SessionSelection sample, ExportRequest request, double scale,
        CancellationToken cancellationToken)
    {
        var level = request.Options.CompressionFormat.IsZstd() && request.Options.CompressionLevel is { } chosen ? chosen : CompressionFormat.Zstd.GetLevelRange()!.Default;
        using var writer = new SessionDocumentWriter(new ExportDocumentHeader { ExportedAt = DateTime.UtcNow, Options = request.Options });
        var trainOn = new List<byte[]>();
        var measureOn = new List<byte[]>();
        var index = 0;
        await foreach (var session in reader.ReadAsync(sample, request.Options, cancellationToken))
        {
            foreach (var format in request.Formats)
            {
                (index % 2 == 0 ? trainOn : measureOn).Add((await writer.WriteAsync(format, session, cancellationToken)).ToArray());
            }
            index++;
        }
        if (trainOn.Count + measureOn.Count == 0)
        {
            return null;
        }
        var all = trainOn.Concat(measureOn).ToList();
        var entries = all.Count * scale;
        using var plain = new ZstdSharp.Compressor(level);
        var withoutDictionary = (long)((FramesBytes(plain, all) + all.Count * (double)PerSessionEntryOverhead) * scale);
        var meanDocument = all.Average(d => (double)d.Length);

        long? withDictionary = null;
        var dictionaryBytes = 0;
        if (trainOn.Count >= ZstdDictionaryTrainer.MinSamples && measureOn.Count > 0)
        {
            using var samples = new DictionarySamples();
            trainOn.ForEach(d => samples.Add(d));
            var plan = ZstdDictionaryTrainer.PlanFor((long)(meanDocument * entries));
            var dictionary = await ZstdDictionaryTrainer.TrainAsync(samples, plan, level, cancellationToken);
            if (dictionary is not null)
            {
                using var withIt = new ZstdSharp.Compressor(level);
                withIt.LoadDictionary(dictionary.Content);
                var perEntry = FramesBytes(withIt, measureOn) / measureOn.Count + PerSessionEntryOverhead;
                // The real dictionary grows with the selection (its plan); the sample's stands in for its ratio only.
                dictionaryBytes = plan.Capacity;
                withDictionary = (long)(perEntry * entries) + dictionaryBytes;
            }
        }
        return new PerSessionEstimate(level, (long)(meanDocument * request.Formats.Count), withoutDictionary, withDictionary, dictionaryBytes);
    }

    private static double FramesBytes(ZstdSharp.Compressor compressor, List<byte[]> documents) =>
        documents.Sum(d => (double)compressor.Wrap(d).Length);

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
public sealed record ExportEstimate(int Sessions, int Messages, long EstimatedOriginalBytes, IReadOnlyList<CodecEstimate> Candidates, PerSessionEstimate? PerSession = null)
{
    public CodecEstimate? For(CompressionFormat format) => Candidates.FirstOrDefault(c => c.Format == format);
}

public sealed record CodecEstimate(CompressionFormat Format, int? Level, long EstimatedBytes, double SavingsPercent, TimeSpan EstimatedTime);

/// <summary>
/// The per-session layout with zstd (one frame per session and format, in a tar with a manifest), at
/// <paramref name="Level"/>: its size without and with a dictionary (null when the selection is too small
/// to train one), the dictionary's own size included.
/// </summary>
/// <param name="MeanSessionBytes">A session's documents, uncompressed, on average: what decides whether a dictionary pays.</param>
public sealed record PerSessionEstimate(int Level, long MeanSessionBytes, long WithoutDictionaryBytes, long? WithDictionaryBytes, int DictionaryBytes);
