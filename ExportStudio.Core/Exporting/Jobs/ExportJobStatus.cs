namespace ExportStudio.Core.Exporting.Jobs;

public enum ExportJobStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

public static class ExportJobStatusNames
{
    public static string ToWireName(this ExportJobStatus status) => status.ToString().ToLowerInvariant();

    public static bool IsFinished(this ExportJobStatus status) =>
        status is ExportJobStatus.Completed or ExportJobStatus.Failed or ExportJobStatus.Cancelled;
}
