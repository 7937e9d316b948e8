using ExportStudio.Web.Api.Exports;

namespace ExportStudio.Web.Api.Schedules;

/// <summary>A schedule as the API shows it, with its newest run.</summary>
public sealed record ScheduleResource(
    Guid Id,
    string Name,
    ScheduleExportResource Export,
    string? Every,
    string? Cron,
    string TimeZone,
    DateTime StartAt,
    string Rhythm,
    string Mode,
    int Keep,
    bool Enabled,
    DateTime? NextRunAt,
    ScheduleRunResource? LastRun,
    long? Watermark,
    DateTime CreatedAt,
    ScheduleLinksResource Links);

/// <summary>The export each run makes, in the shape of the create-export body.</summary>
public sealed record ScheduleExportResource(string Format, IReadOnlyList<string> Formats, ExportFiltersResource Filters, ExportOptionsResource Options);

public sealed record ScheduleRunResource(Guid JobId, string Status, DateTime CreatedAt, DateTime? CompletedAt, DateTime? ScheduledFor, string? Error);

public sealed record ScheduleLinksResource(string Self, string Run, string Runs, string LatestDownload);

public sealed record ScheduleListResource(IReadOnlyList<ScheduleResource> Items, int Total);

internal static class ScheduleMapping
{
    public static string SelfLink(Guid id) => $"/api/v1/schedules/{id}";

    public static ScheduleResource ToResource(this ScheduleView view)
    {
        var (schedule, last) = (view.Schedule, view.LastRun);
        var self = SelfLink(schedule.Id);
        var primary = schedule.Formats.Count > 0 ? schedule.Formats[0] : ExportFormat.Json;
        return new ScheduleResource(
            schedule.Id,
            schedule.Name,
            new ScheduleExportResource(primary.GetWireName(), schedule.Formats.Select(f => f.GetWireName()).ToList(),
                ExportJobMapping.FiltersOf(schedule.Filters), ExportJobMapping.OptionsOf(schedule.Options)),
            schedule.Every,
            schedule.Cron,
            schedule.TimeZone,
            schedule.Start,
            schedule.Rhythm.Describe(),
            schedule.Mode.ToWireName(),
            schedule.Keep,
            schedule.Enabled,
            schedule.NextRunAt,
            last is null ? null : new ScheduleRunResource(last.Id, last.Status.ToWireName(), last.CreatedAt, last.CompletedAt, last.ScheduledFor, last.Error),
            schedule.Watermark,
            schedule.CreatedAt,
            new ScheduleLinksResource(self, $"{self}/run", $"/api/v1/export?scheduleId={schedule.Id}", $"{self}/latest/download"));
    }
}
