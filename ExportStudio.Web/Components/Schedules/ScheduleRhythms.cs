namespace ExportStudio.Web.Components.Schedules;

/// <summary>The rhythms offered in a list, so most people never type an ISO 8601 duration; "cron" opens a field.</summary>
public static class ScheduleRhythms
{
    public const string Cron = "cron";

    public static IReadOnlyList<(string Every, string Label)> Offered { get; } =
    [
        ("PT1H", "Every hour"),
        ("PT6H", "Every 6 hours"),
        ("P1D", "Every day"),
        ("P1W", "Every week"),
        (Cron, "Custom (cron expression)"),
    ];
}
