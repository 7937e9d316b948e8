namespace ExportStudio.Core.Exporting.Pipeline;

/// <summary>Where an export is on its way from the queue to a committed file.</summary>
public enum ExportStage
{
    Queued,
    Preparing,

    /// <summary>Per-session zstd with a dictionary: the dictionary is trained on a sample of the selection.</summary>
    Training,
    Exporting,
    Compressing,
    Finalizing,
    Done,
}

public static class ExportStageNames
{
    public static string ToWireName(this ExportStage stage) => stage.ToString().ToLowerInvariant();
}
