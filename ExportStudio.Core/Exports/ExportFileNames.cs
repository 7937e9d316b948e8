using ExportStudio.Core.Compression;
using ExportStudio.Core.Formats;

namespace ExportStudio.Core.Exports;

/// <summary>How export files and archive entries are named (design.md, "Compression rules").</summary>
public static class ExportFileNames
{
    /// <summary>The stored file: <c>export_{id}.json.zst</c>, <c>export_{id}.tar.gz</c>, …</summary>
    public static string ForJob(Guid jobId, IReadOnlyList<ExportFormat> formats, CompressionFormat compression) =>
        $"export_{jobId:D}{compression.GetFileSuffix(formats.Count == 1 ? formats[0].GetFileExtension() : null)}";

    /// <summary>An entry inside a tar archive, and the name of the file inside a .zst.</summary>
    public static string ForEntry(Guid jobId, ExportFormat format) => $"export_{jobId:D}.{format.GetFileExtension()}";

    /// <summary>The media type of the stored file.</summary>
    public static string ContentType(IReadOnlyList<ExportFormat> formats, CompressionFormat compression) =>
        compression.GetMediaType() ?? formats[0].GetMediaType();
}
