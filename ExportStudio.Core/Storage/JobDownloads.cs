using ExportStudio.Core.Compression;

namespace ExportStudio.Core.Storage;

/// <summary>One file a completed job can be downloaded as: its name and media type.</summary>
public sealed record DownloadOffer(string FileName, string ContentType);

/// <summary>
/// The one rule of which downloads a completed job offers, used by the API's links, the download endpoint
/// and the pages' buttons alike: always the file as stored, and the bytes inside its compression layer
/// where there is one to undo (zstd → the original document, tar.zst and tar.gz → the .tar). None and tar
/// have no such layer: their decompressed download is the stored file itself, so none is offered.
/// A per-session zstd archive is a plain tar whose entries are zstd frames: its decompressed download is
/// that tar with every entry decompressed (no dictionary needed, its manifest rewritten to match), made
/// by the server as it streams. A single zstd frame compressed with a schedule's kept dictionary
/// (<see cref="NeedsDictionary"/>) is decompressed by the server too: no browser holds that dictionary.
/// </summary>
public sealed record JobDownloads(CompressionFormat Compression, DownloadOffer Stored, DownloadOffer? Decompressed, bool DecompressesEntries = false)
{
    private const string TarType = "application/x-tar";

    /// <param name="storedName">The stored file's name (from <see cref="ExportFileNames"/>).</param>
    /// <param name="storedType">The stored file's media type.</param>
    /// <param name="documentType">The media type of the one document inside a single-format zstd file.</param>
    /// <param name="layout">How the sessions are laid out in the file.</param>
    public static JobDownloads For(CompressionFormat compression, string storedName, string storedType, string documentType, ArchiveLayout layout = ArchiveLayout.Document)
    {
        var stored = new DownloadOffer(storedName, storedType);
        if (layout.HasZstdEntries(compression))
        {
            // export_{id}.json.zst.tar → export_{id}.json.tar
            var tarName = storedName[..^".zst.tar".Length] + ".tar";
            return new JobDownloads(compression, stored, new DownloadOffer(tarName, TarType), DecompressesEntries: true);
        }
        if (!compression.IsCompressed())
        {
            return new JobDownloads(compression, stored, null);
        }
        // The compression suffix off: export_{id}.json.zst → export_{id}.json, …tar.gz → …tar.
        var innerName = Path.GetFileNameWithoutExtension(storedName);
        var innerType = compression == CompressionFormat.Zstd ? documentType : TarType;
        return new JobDownloads(compression, stored, new DownloadOffer(innerName, innerType));
    }

    /// <summary>True when the stored frame needs the app's kept dictionary to decompress.</summary>
    public bool NeedsDictionary { get; init; }

    /// <summary>What <c>decompress=true</c> serves: the decompressed offer, or the stored file where there is no layer to undo.</summary>
    public DownloadOffer ForDecompressRequest => Decompressed ?? Stored;

    /// <summary>True when the stored bytes are a zstd frame a browser that speaks zstd can decode itself.</summary>
    public bool BrowserCanDecode => Compression.IsZstd() && !DecompressesEntries && !NeedsDictionary;

    /// <summary>
    /// The pages' Original button: offered where a person may have no tool for the stored file (zstd needs
    /// one on most systems, and so do the frames of a per-session zstd archive). A tar.gz opens everywhere,
    /// so the pages offer its file alone; scripts still get its .tar through the API's decompressed link.
    /// </summary>
    public DownloadOffer? OriginalButton => BrowserCanDecode || DecompressesEntries || NeedsDictionary ? Decompressed : null;
}
