using ExportStudio.Web.Api.Exports;
using ExportStudio.Web.Api.Shared;

namespace ExportStudio.Web.Api.Schedules;

/// <summary>The body of <c>POST /api/v1/schedules</c>, and of <c>PATCH</c>, where every field is optional and only those sent change.</summary>
public sealed record ScheduleBody
{
    public string? Name { get; init; }

    /// <summary>The export each run makes: the body of <c>POST /api/v1/export</c>.</summary>
    public CreateExportBody? Export { get; init; }

    /// <summary>An ISO 8601 duration: PT30M, PT6H, P1D, P1W. Either this or <see cref="Cron"/>.</summary>
    public string? Every { get; init; }

    /// <summary>A five-field cron expression ("0 3 * * *"), read in <see cref="TimeZone"/>.</summary>
    public string? Cron { get; init; }

    /// <summary>The zone cron times are read in (IANA name); UTC when left out.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The first slot of an interval (one interval from now when left out); no cron slot comes before it.</summary>
    public DateTime? StartAt { get; init; }

    /// <summary>full (every selected session each run) or incremental (what changed since the last successful run).</summary>
    public string? Mode { get; init; }

    /// <summary>How many completed runs to keep; 0 keeps every run. 10 when left out.</summary>
    public int? Keep { get; init; }

    public bool? Enabled { get; init; }
}

internal static class ScheduleBodyMapping
{
    /// <summary>A new schedule from the body, every problem named by its field.</summary>
    public static ScheduleDefinition? ToDefinition(this ScheduleBody body, DateTime now, FieldProblems problems)
    {
        if (body.Name is null)
        {
            problems.Add("name", "Give the schedule a name, such as \"Nightly backup\".");
        }
        if (body.Export is null)
        {
            problems.Add("export", "Give the export each run makes, as for POST /api/v1/export: {\"format\":\"jsonl\",\"options\":{\"compressionFormat\":\"zstd\"}}.");
        }
        var request = body.Export is null ? null : ToRequest(body.Export, problems);
        var rhythm = ScheduleRhythm.Parse(body.Every, body.Cron, body.TimeZone, WireTimes.AsUtc(body.StartAt), now, problems.Add);
        var mode = ParseMode(body.Mode, problems) ?? ScheduleMode.Full;
        if (problems.Any || request is null || rhythm is null)
        {
            return null;
        }
        return new ScheduleDefinition
        {
            Name = body.Name!,
            Export = request,
            Rhythm = rhythm,
            Mode = mode,
            Keep = body.Keep ?? ScheduleDefinition.DefaultKeep,
            Enabled = body.Enabled ?? true,
        };
    }

    /// <summary>The schedule as <paramref name="current"/> with what the patch sends changed.</summary>
    public static ScheduleDefinition? Patch(this ScheduleBody body, ExportSchedule current, DateTime now, FieldProblems problems)
    {
        var request = body.Export is null ? current.Request : ToRequest(body.Export, problems);
        var rhythm = current.Rhythm;
        if (body.Every is not null || body.Cron is not null || body.TimeZone is not null || body.StartAt is not null)
        {
            var newRhythm = body.Every is not null || body.Cron is not null;
            var (every, cron) = newRhythm ? (body.Every, body.Cron) : (current.Every, current.Cron);
            var start = WireTimes.AsUtc(body.StartAt) ?? (newRhythm ? null : current.Start);
            rhythm = ScheduleRhythm.Parse(every, cron, body.TimeZone ?? current.TimeZone, start, now, problems.Add);
        }
        var mode = ParseMode(body.Mode, problems) ?? current.Mode;
        if (problems.Any || rhythm is null)
        {
            return null;
        }
        return new ScheduleDefinition
        {
            Name = body.Name ?? current.Name,
            Export = request,
            Rhythm = rhythm,
            Mode = mode,
            Keep = body.Keep ?? current.Keep,
            Enabled = body.Enabled ?? current.Enabled,
        };
    }

    /// <summary>The export part, its problems reported under <c>export.</c>.</summary>
    private static ExportRequest ToRequest(CreateExportBody body, FieldProblems problems)
    {
        var errors = new Dictionary<string, List<string>>();
        var request = body.ToRequest(errors);
        foreach (var (field, messages) in errors)
        {
            messages.ForEach(message => problems.Add($"export.{field}", message));
        }
        return request;
    }

    private static ScheduleMode? ParseMode(string? text, FieldProblems problems)
    {
        if (text is null)
        {
            return null;
        }
        if (ScheduleModeNames.TryParse(text, out var mode))
        {
            return mode;
        }
        problems.Add("mode", $"'{ApiProblems.Shown(text, 40)}' is not a mode; use full (every selected session each run) or incremental (only what changed since the last successful run).");
        return null;
    }
}
