using ExportStudio.Core.Compression;
using ExportStudio.Core.Exporting.Pipeline;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>One moment of a job's run, as published to progress subscribers.</summary>
public sealed record ExportProgress
{
    public required Guid JobId { get; init; }
    public required ExportJobStatus Status { get; init; }
    public required ExportStage Stage { get; init; }

    /// <summary>0 to 100.</summary>
    public double Percent { get; init; }

    public string? Message { get; init; }
    public int SessionsSelected { get; init; }

    /// <summary>Sessions of the selection written so far in the format being written (each format writes every session).</summary>
    public int SessionsDone { get; init; }

    /// <summary>Original (uncompressed) bytes produced so far.</summary>
    public long BytesIn { get; init; }

    /// <summary>Stored bytes written so far.</summary>
    public long BytesOut { get; init; }

    /// <summary>True while the stored bytes cannot be counted yet: tar formats write them only when they compress, after writing.</summary>
    public bool BytesOutPending { get; init; }

    /// <summary>Percent saved by compression so far (0 while nothing has been compressed).</summary>
    public double EstimatedSavings => Savings.Percent(BytesIn, BytesOut);

    public string? Error { get; init; }

    /// <summary>The job was deleted; followers should drop it.</summary>
    public bool Removed { get; init; }

    public bool IsFinished => Status.IsFinished();
}
