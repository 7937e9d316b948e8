using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>What a document says about itself before its sessions: counts are known because the pipeline selects first.</summary>
public sealed record ExportDocumentHeader
{
    public required DateTime ExportedAt { get; init; }
    public string Generator { get; init; } = "ExportStudio";
    public ExportFilters Filters { get; init; } = ExportFilters.None;
    public ExportOptions Options { get; init; } = new();
    public int SessionCount { get; init; }
    public int MessageCount { get; init; }

    /// <summary>For a run of an incremental schedule: the range of changes it holds and the sessions deleted in it.</summary>
    public ExportIncrement? Increment { get; init; }
}
