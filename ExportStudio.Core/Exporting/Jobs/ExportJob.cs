using ExportStudio.Core.Compression;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Storage;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>A persisted export request and everything known about its run and its file.</summary>
public sealed class ExportJob
{
    public Guid Id { get; set; }
    public ExportJobStatus Status { get; set; }

    /// <summary>The formats asked for, in request order; two or more make one archive.</summary>
    public List<ExportFormat> Formats { get; set; } = [];

    public ExportFilters Filters { get; set; } = ExportFilters.None;
    public ExportOptions Options { get; set; } = new();

    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    public int SessionCount { get; set; }
    public int MessageCount { get; set; }

    public ExportStage Stage { get; set; }
    public double Percent { get; set; }
    public string? ProgressMessage { get; set; }
    public long BytesIn { get; set; }
    public long BytesOut { get; set; }

    /// <summary>An error a person can act on, for failed jobs.</summary>
    public string? Error { get; set; }

    /// <summary>Stored file name (never taken from a request); null until the job completes.</summary>
    public string? FileName { get; set; }
    public string? ContentType { get; set; }

    /// <summary>Bytes before compression (the sum of the exported documents).</summary>
    public long? OriginalBytes { get; set; }

    /// <summary>Bytes on disk.</summary>
    public long? StoredBytes { get; set; }

    /// <summary>Lower-case hex SHA-256 of the stored bytes.</summary>
    public string? Sha256 { get; set; }

    /// <summary>
    /// How many times a worker has claimed this job; a crash during a run costs one (a graceful stop gives
    /// its claim back), and a job interrupted twice fails. Also tells apart the partial files of two claims.
    /// </summary>
    public int Attempts { get; set; }

    /// <summary>Set by a cancel request; the owner's heartbeat reads it, so cancelling works across instances.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>Set when a running job is deleted: its owner removes it once the run has stopped.</summary>
    public bool DeleteRequested { get; set; }

    /// <summary>The instance whose lease the running job is under; claims are made in the database.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>
    /// Until when the owner's lease holds; the owner's heartbeat renews it. Once it has passed, the owner
    /// is presumed gone and any instance may take the job over (re-queue it, fail it, or finish its cancel).
    /// </summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>The schedule this job is a run of; null for exports made by hand (or of a deleted schedule).</summary>
    public Guid? ScheduleId { get; set; }

    /// <summary>The slot of the schedule this run is for; null for a run started by hand.</summary>
    public DateTime? ScheduledFor { get; set; }

    /// <summary>Whether this run holds only what changed since its schedule's last successful run.</summary>
    public bool Incremental { get; set; }

    /// <summary>An incremental run takes the changes after this sequence value; null takes every session.</summary>
    public long? IncrementFrom { get; set; }

    /// <summary>The change sequence an incremental run's snapshot stood at: the schedule's watermark once it succeeds.</summary>
    public long? IncrementTo { get; set; }

    /// <summary>How many deleted sessions an incremental run lists.</summary>
    public int? DeletedSessionCount { get; set; }

    /// <summary>The schedule's kept dictionary the run's frames were compressed with; null when the app keeps none for it.</summary>
    public Guid? KeptDictionaryId { get; set; }

    /// <summary>
    /// The zstd id the run's frames name, once it has completed: 0 when it used no dictionary, whatever was
    /// asked (zstd's own "no dictionary"); null before then, and for runs from before it was recorded.
    /// </summary>
    public uint? FrameDictionaryId { get; set; }

    /// <summary>Whether the file's frames use a dictionary: known for completed runs, null otherwise.</summary>
    public bool? UsedDictionary => FrameDictionaryId is { } id ? id != 0 : null;

    /// <summary>Whether this run trained the dictionary its frames name (rather than using its schedule's kept one).</summary>
    public bool DictionaryTrained { get; set; }

    /// <summary>Original over compressed bytes of the frames that used the dictionary: what the next run's retraining is decided against.</summary>
    public double? DictionaryRatio { get; set; }

    public ExportFormat PrimaryFormat => Formats.Count > 0 ? Formats[0] : ExportFormat.Json;

    public CompressionFormat CompressionFormat => Options.CompressionFormat;

    /// <summary>The request this job runs, as it was normalised when the job was created.</summary>
    public ExportRequest Request => new() { Formats = Formats, Filters = Filters, Options = Options };

    /// <summary>The downloads a completed job offers; null until it has a file.</summary>
    public JobDownloads? Downloads => Status == ExportJobStatus.Completed && FileName is not null
        ? ExportFiles.Downloads(Id, Formats, CompressionFormat, Options.Layout, UsedDictionary == true)
        : null;
}
