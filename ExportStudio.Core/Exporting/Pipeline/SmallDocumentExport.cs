using ExportStudio.Core.Compression;
using ExportStudio.Core.Compression.Archives;
using ExportStudio.Core.Compression.Streams;
using ExportStudio.Core.Exporting.Reading;
using ExportStudio.Core.Exporting.Writers;

namespace ExportStudio.Core.Exporting.Pipeline;

/// <summary>
/// A schedule's single-document zstd run with a dictionary: the document is written to memory first, and
/// while it stays small (<see cref="DictionaryReuse.SmallDocumentBytes"/>) it becomes one zstd frame
/// compressed with the schedule's kept dictionary — or with a fresh one, trained on the run's sessions,
/// when the kept one fits the document clearly worse than it fitted its training run, is too old, or
/// there is none yet. A document that outgrows the bound is left to the ordinary streaming path.
/// </summary>
internal sealed class SmallDocumentExport
{
    /// <summary>Whether <paramref name="request"/> is such a run: one format, zstd, document layout, a dictionary asked for.</summary>
    public static bool Applies(ExportRequest request) =>
        request.Options is { Layout: ArchiveLayout.Document, CompressionFormat: CompressionFormat.Zstd, Dictionary: true } && request.Formats.Count == 1;

    /// <summary>The written frame, or null (nothing written to <paramref name="destination"/>) when the document is not small.</summary>
    public async Task<(CompressionStats Stats, ExportPipelineProgress State, DictionaryUse? Dictionary)?> TryWriteAsync(ExportRun run, ExportSessionReader reader,
        ExportDocumentHeader header, Stream destination, ExportPipelineProgress state, IProgress<ExportPipelineProgress> progress, CancellationToken cancellationToken)
    {
        var options = run.Request.Options;
        var format = run.Request.Formats[0];
        var level = options.CompressionLevel ?? 3;
        using var document = new BoundedBufferStream(DictionaryReuse.SmallDocumentBytes);
        var written = await WriteDocumentAsync(reader, format, header, document, state, progress, cancellationToken);
        if (written is not { } after)
        {
            progress.Report(state);
            return null;
        }
        state = after;
        var content = document.WrittenSpan.ToArray();

        using var plain = new DictionaryFrames(level, null);
        var plainFrame = plain.Compress(content).ToArray();
        var best = (Frame: plainFrame, Use: (DictionaryUse?)null);
        if (run.Kept is { } kept)
        {
            var (frame, use) = Compress(content, plainFrame.Length, kept.Dictionary, kept.Id, level);
            if (DictionaryReuse.WhyRetrain(kept, use.Gain, run.ExportedAt) is null)
            {
                return await WriteFrameAsync(destination, content.Length, frame, use, state, cancellationToken);
            }
            // Decayed, but still the dictionary to fall back on when no fresh one can be trained.
            if (frame.Length < best.Frame.Length)
            {
                best = (frame, use);
            }
        }

        progress.Report(state = state with { Stage = ExportStage.Training });
        var trained = await TrainAsync(reader, state.Selection!, format, header, options, level, cancellationToken);
        progress.Report(state = state with { Stage = ExportStage.Exporting });
        if (trained is not null)
        {
            var (frame, use) = Compress(content, plainFrame.Length, trained, null, level);
            if (frame.Length < best.Frame.Length)
            {
                best = (frame, use);
            }
        }
        // A dictionary that does not make this document smaller is not worth its dependency: the frame goes without.
        return await WriteFrameAsync(destination, content.Length, best.Frame, best.Use, state, cancellationToken);
    }

    /// <summary>The document's frame with <paramref name="dictionary"/>, and how it did against the frame without (<paramref name="plainBytes"/>).</summary>
    private static (byte[] Frame, DictionaryUse Use) Compress(byte[] content, long plainBytes, ZstdDictionary dictionary, Guid? keptId, int level)
    {
        using var frames = new DictionaryFrames(level, dictionary);
        var frame = frames.Compress(content).ToArray();
        var fit = DictionaryFit.Of(content.Length, plainBytes, frame.Length);
        return (frame, new DictionaryUse(dictionary, keptId, keptId is null, fit.Ratio, fit.Gain));
    }

    /// <summary>The document into <paramref name="buffer"/>; null as soon as it outgrows it.</summary>
    private static async Task<ExportPipelineProgress?> WriteDocumentAsync(ExportSessionReader reader, ExportFormat format, ExportDocumentHeader header,
        BoundedBufferStream buffer, ExportPipelineProgress state, IProgress<ExportPipelineProgress> progress, CancellationToken cancellationToken)
    {
        await using var writer = ExportWriter.Create(format, buffer, header.Options);
        await writer.WriteHeaderAsync(header, cancellationToken);
        await foreach (var session in reader.ReadAsync(state.Selection!, header.Options, cancellationToken))
        {
            await writer.WriteSessionAsync(session, cancellationToken);
            if (buffer.Overflowed)
            {
                return null;
            }
            progress.Report(state = state with { SessionsWritten = state.SessionsWritten + 1 });
        }
        await writer.WriteFooterAsync(cancellationToken);
        return buffer.Overflowed ? null : state;
    }

    /// <summary>Trained on the run's sessions, each its own sample document (what the dictionary should know is how sessions look).</summary>
    private static async Task<ZstdDictionary?> TrainAsync(ExportSessionReader reader, Sessions.SessionSelection selection, ExportFormat format,
        ExportDocumentHeader header, ExportOptions options, int level, CancellationToken cancellationToken)
    {
        using var documents = new SessionDocumentWriter(header);
        using var samples = await PerSessionExport.SampleAsync(reader, selection, [format], documents, options, cancellationToken);
        return await PerSessionExport.TrainAsync(samples, selection.SessionCount, 1, level, cancellationToken);
    }

    private static async Task<(CompressionStats, ExportPipelineProgress, DictionaryUse?)?> WriteFrameAsync(Stream destination, long originalBytes, byte[] frame,
        DictionaryUse? use, ExportPipelineProgress state, CancellationToken cancellationToken)
    {
        state.Counters.AddIn(originalBytes);
        await using var stored = new CountingWriteStream(destination, state.Counters.AddOut, hash: true);
        await stored.WriteAsync(frame, cancellationToken);
        await stored.FlushAsync(cancellationToken);
        return (new CompressionStats(originalBytes, stored.BytesWritten, stored.GetSha256()), state, use);
    }
}
