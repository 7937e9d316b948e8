using ExportStudio.Core.Compression;

namespace ExportStudio.Core.Exporting;

/// <summary>What goes into each exported session, and how the output is compressed.</summary>
public sealed record ExportOptions
{
    public bool IncludeMessages { get; init; } = true;
    public bool IncludeMetadata { get; init; } = true;
    public bool IncludeToolCalls { get; init; } = true;
    public CompressionFormat CompressionFormat { get; init; } = CompressionFormat.None;

    /// <summary>The level for the compression format; null for formats without levels (none, tar).</summary>
    public int? CompressionLevel { get; init; }
}
