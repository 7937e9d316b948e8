namespace ExportStudio.Core.Exporting.Schedules;

/// <summary>A schedule as asked for (created, or changed by a patch): checked by <see cref="ScheduleService"/> before it is saved.</summary>
public sealed record ScheduleDefinition
{
    public const int MaxNameLength = 200;
    public const int DefaultKeep = 10;
    public const int MaxKeep = 10_000;

    public required string Name { get; init; }
    public required ExportRequest Export { get; init; }
    public required ScheduleRhythm Rhythm { get; init; }
    public ScheduleMode Mode { get; init; }
    public int Keep { get; init; } = DefaultKeep;
    public bool Enabled { get; init; } = true;

    /// <summary>Problems with the parts that are not the export request, by field (API names).</summary>
    public static void CheckNameAndKeep(string? name, int? keep, Action<string, string> problem)
    {
        if (name is not null && (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength))
        {
            problem("name", $"A schedule needs a name of 1 to {MaxNameLength} characters.");
        }
        if (keep is < 0 or > MaxKeep)
        {
            problem("keep", $"\"keep\" is {keep}; it must be from 1 to {MaxKeep:N0} runs, or 0 to keep every run.");
        }
    }
}
