using ExportStudio.Core.Compression;

namespace ExportStudio.Core.Storage;

/// <summary>How export files and archive entries are named; names are made from job ids, never taken from a request.</summary>
public static class ExportFileNames
{
    /// <summary>
    /// The stored file: <c>export_{id}.json.zst</c>, <c>export_{id}.tar.gz</c>, …
    /// <paramref name="formatExtension"/> is the single export format's extension, or null when several
    /// formats are bundled into one archive.
    /// </summary>
    public static string ForJob(Guid jobId, string? formatExtension, CompressionFormat compression) =>
        $"export_{jobId:D}{Suffix(compression, formatExtension)}";

    /// <summary>An entry inside a tar archive, and the name of the file inside a .zst.</summary>
    public static string ForEntry(Guid jobId, string formatExtension) => $"export_{jobId:D}.{formatExtension}";

    private static string Suffix(CompressionFormat compression, string? extension) => (compression, extension) switch
    {
        (CompressionFormat.None, not null) => $".{extension}",
        (CompressionFormat.Zstd, not null) => $".{extension}.zst",
        (CompressionFormat.TarGz, not null) => $".{extension}.tar.gz",
        (CompressionFormat.TarGz, null) => ".tar.gz",
        (CompressionFormat.None or CompressionFormat.Zstd, null) =>
            throw new ArgumentException($"{compression.GetWireName()} holds exactly one file; several formats need tar, tar.gz or tar.zst.", nameof(extension)),
        (CompressionFormat.TarZst, _) => ".tar.zst",
        (CompressionFormat.Tar, _) => ".tar",
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
    };
}
