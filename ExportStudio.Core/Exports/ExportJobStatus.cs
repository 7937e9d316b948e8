namespace ExportStudio.Core.Exports;

public enum ExportJobStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

public enum ExportStage
{
    Queued,
    Preparing,
    Exporting,
    Compressing,
    Finalizing,
    Done,
}

public static class ExportJobStatusNames
{
    public static string ToWireName(this ExportJobStatus status) => status.ToString().ToLowerInvariant();

    public static string ToWireName(this ExportStage stage) => stage.ToString().ToLowerInvariant();

    public static bool IsFinished(this ExportJobStatus status) =>
        status is ExportJobStatus.Completed or ExportJobStatus.Failed or ExportJobStatus.Cancelled;
}
