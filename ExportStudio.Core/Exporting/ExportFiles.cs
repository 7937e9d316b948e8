using ExportStudio.Core.Compression;
using ExportStudio.Core.Storage;

namespace ExportStudio.Core.Exporting;

/// <summary>The stored file of an export with these formats and this compression: its name, media type and downloads.</summary>
public static class ExportFiles
{
    public static string FileName(Guid jobId, IReadOnlyList<ExportFormat> formats, CompressionFormat compression) =>
        ExportFileNames.ForJob(jobId, formats.Count == 1 ? formats[0].GetFileExtension() : null, compression);

    /// <summary>A format's entry inside a tar archive, and the name of the document inside a .zst.</summary>
    /// <summary>The entry an incremental run's bundle carries its range and deletions in (<c>{"increment":{…}}</c>).</summary>
    public const string IncrementEntryName = "increment.json";

    public static string EntryName(Guid jobId, ExportFormat format) => ExportFileNames.ForEntry(jobId, format.GetFileExtension());

    public static string ContentType(IReadOnlyList<ExportFormat> formats, CompressionFormat compression) =>
        compression.GetMediaType() ?? formats[0].GetMediaType();

    public static JobDownloads Downloads(Guid jobId, IReadOnlyList<ExportFormat> formats, CompressionFormat compression) =>
        JobDownloads.For(compression, FileName(jobId, formats, compression), ContentType(formats, compression), formats[0].GetMediaType());
}
