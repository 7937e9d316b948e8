using ExportStudio.Core.Compression;
using ExportStudio.Core.Compression.Archives;
using ExportStudio.Core.Exporting.Reading;
using ExportStudio.Core.Exporting.Writers;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Storage;

namespace ExportStudio.Core.Exporting.Pipeline;

/// <summary>
/// The per-session branch of the pipeline: train the dictionary when asked (on a sample of the selection,
/// as its own stage), then write each session once per format as a small document of its own into the
/// per-session archive, reading the selection once.
/// </summary>
internal sealed class PerSessionExport(CompressionService compression, long maxExportBytes)
{
    /// <summary>More sessions than this are sampled evenly rather than all read twice.</summary>
    private const int MaxSampleSessions = 4096;

    public async Task<(CompressionStats Stats, ExportPipelineProgress State)> WriteAsync(ExportRun run, ExportSessionReader reader, ExportDocumentHeader header,
        Stream destination, ExportPipelineProgress state, IProgress<ExportPipelineProgress> progress, CancellationToken cancellationToken)
    {
        var options = run.Request.Options;
        var formats = run.Request.Formats;
        using var documents = new SessionDocumentWriter(header);
        ZstdDictionary? dictionary = null;
        if (options.Dictionary == true)
        {
            progress.Report(state = state with { Stage = ExportStage.Training });
            dictionary = await TrainAsync(reader, state.Selection!, formats, documents, options, cancellationToken);
            progress.Report(state = state with { Stage = ExportStage.Exporting });
        }

        await using var output = compression.OpenSessionArchive(destination, options.CompressionFormat, options.CompressionLevel, run.ExportedAt,
            formats.Select(f => f.GetWireName()).ToList(), dictionary, state.Counters);
        if (header.Increment is { } increment)
        {
            output.AddFile(ExportFiles.IncrementEntryName, await ExportPipeline.IncrementJsonAsync(increment, cancellationToken));
        }
        await foreach (var session in reader.ReadAsync(state.Selection!, options, cancellationToken))
        {
            foreach (var format in formats)
            {
                var content = await documents.WriteAsync(format, session, cancellationToken);
                var path = ExportFileNames.ForSessionEntry(session.Id, format.GetFileExtension(), output.ZstdEntries);
                await output.AddAsync(new SessionDocument(session.Id, session.Title, format.GetWireName(), path), content, cancellationToken);
                progress.Report(state = state with { SessionsWritten = state.SessionsWritten + 1 });
            }
            if (state.Counters.BytesIn > maxExportBytes)
            {
                throw new ExportFailedException(
                    $"The export passed the limit of {maxExportBytes:N0} bytes (MaxExportBytes) and was stopped. Narrow the selection with filters or raise ExportStudio:MaxExportBytes.");
            }
        }
        return (await output.CompleteAsync(cancellationToken), state);
    }

    /// <summary>
    /// Samples sessions evenly over the selection (every n-th, thinned further when the samples pass the
    /// trainer's largest budget) and trains on their documents in every format being exported. Returns
    /// null when the selection is too small to learn from: the archive then goes without a dictionary and
    /// its manifest says so.
    /// </summary>
    internal static async Task<ZstdDictionary?> TrainAsync(ExportSessionReader reader, SessionSelection selection, IReadOnlyList<ExportFormat> formats,
        SessionDocumentWriter documents, ExportOptions options, CancellationToken cancellationToken)
    {
        var stride = Math.Max(1, (selection.SessionCount + MaxSampleSessions - 1) / MaxSampleSessions);
        var sample = new SessionSelection(selection.SessionIds.Where((_, i) => i % stride == 0).ToList(), 0);
        using var samples = new DictionarySamples();
        var maxSampleBytes = ZstdDictionaryTrainer.PlanFor(long.MaxValue).SampleBytes;
        var (index, keepEvery) = (0, 1);
        await foreach (var session in reader.ReadAsync(sample, options, cancellationToken))
        {
            if (index++ % keepEvery != 0)
            {
                continue;
            }
            foreach (var format in formats)
            {
                samples.Add((await documents.WriteAsync(format, session, cancellationToken)).Span);
            }
            if (samples.Bytes > maxSampleBytes)
            {
                samples.KeepEveryOther(formats.Count);
                keepEvery *= 2;
            }
        }
        var plan = ZstdDictionaryTrainer.PlanFor((long)(samples.MeanDocumentBytes * selection.SessionCount * formats.Count));
        while (samples.Bytes > plan.SampleBytes)
        {
            samples.KeepEveryOther(formats.Count);
        }
        return await ZstdDictionaryTrainer.TrainAsync(samples, plan, options.CompressionLevel ?? 3, cancellationToken);
    }
}
