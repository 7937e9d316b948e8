namespace ExportStudio.Core.Exporting.Schedules;

/// <summary>
/// A zstd dictionary a schedule keeps across its runs, so small similar exports compress with what earlier
/// runs learned instead of training again each time. The bytes live in the row: a dictionary is small
/// (at most 1 MiB, a few KiB for the small runs where it pays), and in the database it commits together
/// with the run that trained it and the jobs that name it, is served by any instance sharing the
/// database, and needs no file of its own to be written, found again or cleaned up.
/// </summary>
public sealed class ScheduleDictionary
{
    public Guid Id { get; set; }

    /// <summary>The id zstd writes into the dictionary and into every frame compressed with it.</summary>
    public uint DictionaryId { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The dictionary's size in bytes.</summary>
    public int Size { get; set; }

    /// <summary>The schedule it belongs to; null once the schedule is deleted (runs kept in History may still name it).</summary>
    public Guid? ScheduleId { get; set; }

    /// <summary>The run that trained it.</summary>
    public Guid TrainedByJobId { get; set; }

    /// <summary>How many sessions it was trained on.</summary>
    public int TrainedOnSessions { get; set; }

    /// <summary>Original bytes over compressed bytes of what the training run compressed with it.</summary>
    public double TrainedRatio { get; set; }

    /// <summary>Its gain when trained (compressed bytes without it over bytes with it, on the training run's sessions): what later runs are held against.</summary>
    public double TrainedGain { get; set; }

    /// <summary>Set when the schedule's export changed: what it learned no longer describes what the schedule exports.</summary>
    public DateTime? RetiredAt { get; set; }

    public byte[] Content { get; set; } = [];
}
