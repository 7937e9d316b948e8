using ExportStudio.Core.Compression;

namespace ExportStudio.Core.Exporting;

/// <summary>What goes into each exported session, and how the output is laid out and compressed.</summary>
public sealed record ExportOptions
{
    public bool IncludeMessages { get; init; } = true;
    public bool IncludeMetadata { get; init; } = true;
    public bool IncludeToolCalls { get; init; } = true;
    public CompressionFormat CompressionFormat { get; init; } = CompressionFormat.None;

    /// <summary>The level for the compression format; null for formats without levels (none, tar).</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>One document per format (the default), or one per session and format with a manifest.</summary>
    public ArchiveLayout Layout { get; init; } = ArchiveLayout.Document;

    /// <summary>
    /// Whether per-session zstd frames share a dictionary trained on the selection. Null until the request
    /// is normalised, which turns it on for per-session zstd (where it pays) and off everywhere else.
    /// </summary>
    public bool? Dictionary { get; init; }
}
