using ExportStudio.Core.Compression;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Sessions;
using static System.FormattableString;

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
        var (formatIndex, sessionsDone) = Position(stage, written, selected);
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
            Message = final?.Message ?? Describe(stage, formatIndex, sessionsDone, selected, counters),
            SessionsSelected = selected,
            SessionsDone = sessionsDone,
            BytesIn = stats?.OriginalBytes ?? counters.BytesIn,
            BytesOut = stats?.StoredBytes ?? counters.BytesOut,
            // A tar format spools its entries and writes its stored bytes only once it compresses them.
            BytesOutPending = stats is null && stage is (ExportStage.Exporting or ExportStage.Training) && IsArchive,
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

    /// <summary>
    /// Sessions are counted once per format written; a person thinks in sessions of the selection, so the
    /// count becomes the format being written and the sessions done in it (all of them once writing is over).
    /// </summary>
    private (int FormatIndex, int SessionsDone) Position(ExportStage stage, int written, int selected)
    {
        if (selected == 0)
        {
            return (0, 0);
        }
        if (stage is not (ExportStage.Preparing or ExportStage.Exporting) || written >= selected * Job.Formats.Count)
        {
            return (Job.Formats.Count - 1, stage == ExportStage.Preparing ? 0 : selected);
        }
        // Per session, every format of a session is written before the next session.
        return Job.Options.Layout == ArchiveLayout.PerSession
            ? (0, written / Job.Formats.Count)
            : (written / selected, written % selected);
    }

    private string FormatList => string.Join(", ", Job.Formats.Select(f => f.GetDisplayName()));

    private string Describe(ExportStage stage, int formatIndex, int sessionsDone, int selected, CompressionCounters counters) => stage switch
    {
        ExportStage.Preparing => "Selecting sessions…",
        ExportStage.Training => Invariant($"Training the compression dictionary on a sample of the {selected:N0} sessions…"),
        ExportStage.Exporting when Job.Options.Layout == ArchiveLayout.PerSession =>
            Invariant($"Writing each session on its own ({FormatList}): {sessionsDone:N0} of {selected:N0} sessions"),
        ExportStage.Exporting when Job.Formats.Count == 1 => Invariant($"Writing {Job.Formats[0].GetDisplayName()}: {sessionsDone:N0} of {selected:N0} sessions"),
        ExportStage.Exporting => Invariant($"Writing {Job.Formats[formatIndex].GetDisplayName()} (format {formatIndex + 1} of {Job.Formats.Count}): {sessionsDone:N0} of {selected:N0} sessions"),
        ExportStage.Compressing when Job.Options.Layout.HasZstdEntries(Job.CompressionFormat) =>
            $"Assembling the archive: manifest, then the compressed sessions… {Math.Round(counters.CompressedFraction * 100)}%",
        ExportStage.Compressing => $"Compressing with {Job.CompressionFormat.GetWireName()}… {Math.Round(counters.CompressedFraction * 100)}%",
        ExportStage.Finalizing => "Saving the file…",
        _ => "",
    };

    private sealed record FinalState(ExportJobStatus Status, string? Error, string? Message);
}
