using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Exporting.Schedules;

/// <summary>A saved export with a rhythm: its runs are ordinary export jobs that carry its id.</summary>
public sealed class ExportSchedule
{
    public Guid Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The export each run makes, as normalised when the schedule was saved.</summary>
    public List<ExportFormat> Formats { get; set; } = [];
    public ExportFilters Filters { get; set; } = ExportFilters.None;
    public ExportOptions Options { get; set; } = new();

    /// <summary>An ISO 8601 duration, or null when <see cref="Cron"/> sets the rhythm.</summary>
    public string? Every { get; set; }
    public string? Cron { get; set; }
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The first slot of an interval; no cron slot comes before it.</summary>
    public DateTime Start { get; set; }

    public ScheduleMode Mode { get; set; }

    /// <summary>How many completed runs to keep (older ones and their files go); 0 keeps every run.</summary>
    public int Keep { get; set; }

    public bool Enabled { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The slot the next run is for; null while paused (or when a cron expression has no time left).</summary>
    public DateTime? NextRunAt { get; set; }

    /// <summary>
    /// For incremental schedules, the change sequence the last successful run reached: the next run takes
    /// the changes after it. Null until a run succeeds (the first run takes every session).
    /// </summary>
    public long? Watermark { get; set; }

    public ScheduleRhythm Rhythm => ScheduleRhythm.Restore(Every, Cron, TimeZone, Start);

    public ExportRequest Request => new() { Formats = Formats, Filters = Filters, Options = Options };
}

/// <summary>What each run holds: every selected session, or only those changed since the last successful run.</summary>
public enum ScheduleMode
{
    Full,
    Incremental,
}

public static class ScheduleModeNames
{
    public static string ToWireName(this ScheduleMode mode) => mode == ScheduleMode.Incremental ? "incremental" : "full";

    public static ScheduleMode FromStored(string text) => TryParse(text, out var mode) ? mode : throw new InvalidOperationException($"Unknown schedule mode '{text}' in the database.");

    public static bool TryParse(string? text, out ScheduleMode mode)
    {
        mode = text?.Trim().ToLowerInvariant() switch
        {
            "full" => ScheduleMode.Full,
            "incremental" => ScheduleMode.Incremental,
            _ => (ScheduleMode)(-1),
        };
        return Enum.IsDefined(mode);
    }
}
