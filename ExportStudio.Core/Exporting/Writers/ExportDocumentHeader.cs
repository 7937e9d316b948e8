using ExportStudio.Core.Exporting.Reading;
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

    /// <summary>
    /// The sessions' headings in export order, for a format that lists them before the sessions (HTML's table
    /// of contents), read lazily from the export's snapshot; null where no listing is wanted.
    /// </summary>
    public IAsyncEnumerable<SessionHeading>? Contents { get; init; }
}
