using ExportStudio.Core.Compression;
using ExportStudio.Core.Compression.Archives;
using ExportStudio.Core.Exporting.Reading;
using ExportStudio.Core.Exporting.Writers;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Storage;

namespace ExportStudio.Core.Exporting.Pipeline;

/// <summary>
/// The per-session branch of the pipeline: choose the dictionary when asked (the schedule's kept one while
/// it still fits this run's sessions, else one trained on a sample of the selection as its own stage),
/// then write each session once per format as a small document of its own into the per-session archive,
/// reading the selection once.
/// </summary>
internal sealed class PerSessionExport(CompressionService compression, long maxExportBytes)
{
    /// <summary>More sessions than this are sampled evenly rather than all read twice.</summary>
    private const int MaxSampleSessions = 4096;

    /// <summary>A dictionary's gain is measured on this many of the samples at most: a few hundred documents settle it.</summary>
    private const int MeasuredSamples = 512;

    public async Task<(CompressionStats Stats, ExportPipelineProgress State, DictionaryUse? Dictionary)> WriteAsync(ExportRun run, ExportSessionReader reader, ExportDocumentHeader header,
        Stream destination, ExportPipelineProgress state, IProgress<ExportPipelineProgress> progress, CancellationToken cancellationToken)
    {
        var options = run.Request.Options;
        var formats = run.Request.Formats;
        using var documents = new SessionDocumentWriter(header);
        ChosenDictionary? chosen = null;
        if (options.Dictionary == true)
        {
            (chosen, state) = await ChooseDictionaryAsync(run, reader, documents, state, progress, cancellationToken);
        }

        await using var output = compression.OpenSessionArchive(destination, options.CompressionFormat, options.CompressionLevel, run.ExportedAt,
            formats.Select(f => f.GetWireName()).ToList(), chosen?.Dictionary, state.Counters);
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
        var stats = await output.CompleteAsync(cancellationToken);
        var use = chosen is { } c ? new DictionaryUse(c.Dictionary, c.KeptId, c.KeptId is null, output.FrameRatio ?? 0, c.Gain) : null;
        return (stats, state, use);
    }

    /// <summary>
    /// The schedule's kept dictionary when its gain on a sample of this run's sessions is still near the
    /// gain it had when trained (and it is not too old); otherwise a fresh one trained on that sample, as
    /// the training stage. Null when there is neither: the archive then goes without, and its manifest says so.
    /// </summary>
    private static async Task<(ChosenDictionary? Chosen, ExportPipelineProgress State)> ChooseDictionaryAsync(ExportRun run, ExportSessionReader reader,
        SessionDocumentWriter documents, ExportPipelineProgress state, IProgress<ExportPipelineProgress> progress, CancellationToken cancellationToken)
    {
        var (options, formats, selection) = (run.Request.Options, run.Request.Formats, state.Selection!);
        var level = options.CompressionLevel ?? 3;
        if (run.Kept is null)
        {
            progress.Report(state = state with { Stage = ExportStage.Training });
        }
        using var samples = await SampleAsync(reader, selection, formats, documents, options, cancellationToken);
        using var measured = samples.Spread(MeasuredSamples);
        var keptGain = run.Kept is { } kept && measured.Count > 0 ? DictionaryFrames.Measure(measured, kept.Dictionary, level).Gain : run.Kept?.TrainedGain;
        if (run.Kept is { } current && DictionaryReuse.WhyRetrain(current, keptGain!.Value, run.ExportedAt) is null)
        {
            return (new ChosenDictionary(current.Dictionary, current.Id, keptGain.Value), state);
        }
        progress.Report(state = state with { Stage = ExportStage.Training });
        var trained = await TrainAsync(samples, selection.SessionCount, formats.Count, level, cancellationToken);
        progress.Report(state = state with { Stage = ExportStage.Exporting });
        if (trained is not null)
        {
            return (new ChosenDictionary(trained, null, DictionaryFrames.Measure(measured, trained, level).Gain), state);
        }
        // Too few sessions to learn from: a decayed dictionary still beats none on documents like these.
        return (run.Kept is { } old ? new ChosenDictionary(old.Dictionary, old.Id, keptGain!.Value) : null, state);
    }

    private sealed record ChosenDictionary(ZstdDictionary Dictionary, Guid? KeptId, double Gain);

    /// <summary>
    /// Samples sessions evenly over the selection (every n-th, thinned further when the samples pass the
    /// trainer's largest budget): their documents in every format being exported.
    /// </summary>
    internal static async Task<DictionarySamples> SampleAsync(ExportSessionReader reader, SessionSelection selection, IReadOnlyList<ExportFormat> formats,
        SessionDocumentWriter documents, ExportOptions options, CancellationToken cancellationToken)
    {
        var stride = Math.Max(1, (selection.SessionCount + MaxSampleSessions - 1) / MaxSampleSessions);
        var sample = new SessionSelection(selection.SessionIds.Where((_, i) => i % stride == 0).ToList(), 0);
        var samples = new DictionarySamples();
        try
        {
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
            return samples;
        }
        catch
        {
            samples.Dispose();
            throw;
        }
    }

    /// <summary>A dictionary trained on <paramref name="samples"/> sized for the whole selection, or null when they are too few to learn from.</summary>
    internal static Task<ZstdDictionary?> TrainAsync(DictionarySamples samples, int selectedSessions, int formatCount, int level, CancellationToken cancellationToken)
    {
        var plan = ZstdDictionaryTrainer.PlanFor((long)(samples.MeanDocumentBytes * selectedSessions * formatCount));
        while (samples.Bytes > plan.SampleBytes)
        {
            samples.KeepEveryOther(formatCount);
        }
        return ZstdDictionaryTrainer.TrainAsync(samples, plan, level, cancellationToken);
    }
}
