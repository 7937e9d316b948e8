using ExportStudio.Core.Compression;
using ExportStudio.Core.Storage;

namespace ExportStudio.Core.Exporting;

/// <summary>The stored file of an export with these formats, this compression and this layout: its name, media type and downloads.</summary>
public static class ExportFiles
{
    public static string FileName(Guid jobId, IReadOnlyList<ExportFormat> formats, CompressionFormat compression, ArchiveLayout layout = ArchiveLayout.Document) =>
        ExportFileNames.ForJob(jobId, formats.Count == 1 ? formats[0].GetFileExtension() : null, compression, layout);

    /// <summary>A format's entry inside a tar archive, and the name of the document inside a .zst.</summary>
    /// <summary>The entry an incremental run's bundle carries its range and deletions in (<c>{"increment":{…}}</c>).</summary>
    public const string IncrementEntryName = "increment.json";

    public static string EntryName(Guid jobId, ExportFormat format) => ExportFileNames.ForEntry(jobId, format.GetFileExtension());

    /// <summary>The media type of the stored file; a per-session zstd archive is a tar (its frames are inside).</summary>
    public static string ContentType(IReadOnlyList<ExportFormat> formats, CompressionFormat compression, ArchiveLayout layout = ArchiveLayout.Document) =>
        layout.HasZstdEntries(compression)
            ? CompressionFormat.Tar.GetMediaType()!
            : compression.GetMediaType() ?? formats[0].GetMediaType();

    /// <param name="dictionaryFrame">True when the stored file is one zstd frame that names a dictionary.</param>
    public static JobDownloads Downloads(Guid jobId, IReadOnlyList<ExportFormat> formats, CompressionFormat compression, ArchiveLayout layout = ArchiveLayout.Document,
        bool dictionaryFrame = false) =>
        JobDownloads.For(compression, FileName(jobId, formats, compression, layout), ContentType(formats, compression, layout), formats[0].GetMediaType(), layout) with
        {
            NeedsDictionary = dictionaryFrame && !layout.HasZstdEntries(compression),
        };
}
