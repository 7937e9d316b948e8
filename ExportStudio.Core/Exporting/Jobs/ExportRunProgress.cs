using ExportStudio.Core.Compression;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// What one run's pipeline reports, kept for the monitor that samples it: turns stage, sessions written and
/// the codec's byte counters into the percent and the sentence a person sees. The pipeline reports from
/// its own thread; the monitor reads from another, so every field is read and written atomically.
/// </summary>
internal sealed class ExportRunProgress(ExportJob job) : IProgress<ExportPipelineProgress>
{
    // The bar's budget per stage. Single files are compressed as they are written, so writing is nearly all
    // of it; archives compress their spooled entries after writing, so compressing gets its own share.
    private const double Started = 1;
    private const double Training = 1.5;
    private const double WritingFrom = 2;
    private const double WritingShare = 93;
    private const double ArchiveWritingShare = 58;
    private const double CompressingFrom = 60;
    private const double CompressingShare = 35;
    private const double Saving = 98;
    private const double UnfinishedCeiling = 99;

    private volatile int _stage = (int)ExportStage.Preparing;
    private volatile SessionSelection? _selection;
    private volatile CompressionCounters? _counters;
    private int _sessionsWritten;
    private volatile FinalState? _final;
    private volatile CompressionStats? _completedStats;

    public ExportJob Job { get; } = job;
    public SessionSelection? Selection => _selection;

    /// <summary>Messages the run exports: the selection's, or none when messages are left out.</summary>
    public int? MessageCount => _selection is { } selection ? (Job.Options.IncludeMessages ? selection.MessageCount : 0) : null;

    public void Report(ExportPipelineProgress value)
    {
        _stage = (int)value.Stage;
        _selection = value.Selection;
        _counters = value.Counters;
        Volatile.Write(ref _sessionsWritten, value.SessionsWritten);
    }

    public void Finish(ExportJobStatus status, string? message) =>
        _final = new FinalState(status, status == ExportJobStatus.Failed ? message : null, status == ExportJobStatus.Completed ? "Completed." : message);

    public void Complete(CompressionStats stats)
    {
        _completedStats = stats;
        Finish(ExportJobStatus.Completed, null);
    }

    public ExportProgress Snapshot()
    {
        var final = _final;
        var stage = final?.Status == ExportJobStatus.Completed ? ExportStage.Done : (ExportStage)_stage;
        var counters = _counters ?? new CompressionCounters();
        if (stage == ExportStage.Exporting && counters.Phase == CompressionPhase.Compressing)
        {
            stage = ExportStage.Compressing;
        }
        var selected = _selection?.SessionCount ?? 0;
        var written = Volatile.Read(ref _sessionsWritten);
        var percent = PercentOf(stage, written, selected, counters);
        if (final is { Status: not ExportJobStatus.Completed })
        {
            percent = Math.Min(percent, UnfinishedCeiling);
        }
        var stats = _completedStats;
        return new ExportProgress
        {
            JobId = Job.Id,
            Status = final?.Status ?? ExportJobStatus.Running,
            Stage = stage,
            Percent = Math.Round(Math.Clamp(percent, 0, 100), 1),
            Message = final?.Message ?? Describe(stage, written, selected, counters),
            SessionsSelected = selected,
            BytesIn = stats?.OriginalBytes ?? counters.BytesIn,
            BytesOut = stats?.StoredBytes ?? counters.BytesOut,
            Error = final?.Error,
        };
    }

    /// <summary>Archives (per-session ones too) assemble their file after writing, as a stage of its own.</summary>
    private bool IsArchive => Job.CompressionFormat.IsArchive() || Job.Options.Layout == ArchiveLayout.PerSession;

    private double PercentOf(ExportStage stage, int written, int selected, CompressionCounters counters)
    {
        var total = Math.Max(1, selected * Job.Formats.Count);
        return stage switch
        {
            ExportStage.Queued or ExportStage.Preparing => Started,
            ExportStage.Training => Training,
            ExportStage.Exporting when IsArchive => WritingFrom + ArchiveWritingShare * written / total,
            ExportStage.Exporting => WritingFrom + WritingShare * written / total,
            ExportStage.Compressing => CompressingFrom + CompressingShare * counters.CompressedFraction,
            ExportStage.Finalizing => Saving,
            _ => 100,
        };
    }

    private string Describe(ExportStage stage, int written, int selected, CompressionCounters counters) => stage switch
    {
        ExportStage.Preparing => "Selecting sessions…",
        ExportStage.Training => $"Training the compression dictionary on a sample of the {selected} sessions…",
        ExportStage.Exporting => $"Writing {Job.Formats.Count switch { 1 => Job.Formats[0].GetDisplayName(), var n => $"{n} formats" }}: {Math.Min(written, selected * Job.Formats.Count)} of {selected * Job.Formats.Count} sessions",
        ExportStage.Compressing when Job.Options.Layout.HasZstdEntries(Job.CompressionFormat) =>
            $"Assembling the archive: manifest, then the compressed sessions… {Math.Round(counters.CompressedFraction * 100)}%",
        ExportStage.Compressing => $"Compressing with {Job.CompressionFormat.GetWireName()}… {Math.Round(counters.CompressedFraction * 100)}%",
        ExportStage.Finalizing => "Saving the file…",
        _ => "",
    };

    private sealed record FinalState(ExportJobStatus Status, string? Error, string? Message);
}
