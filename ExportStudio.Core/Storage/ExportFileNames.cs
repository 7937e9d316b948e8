using System.Text.RegularExpressions;
using ExportStudio.Core.Compression;

namespace ExportStudio.Core.Storage;

/// <summary>How export files and archive entries are named; names are made from job ids, never taken from a request.</summary>
public static partial class ExportFileNames
{
    /// <summary>
    /// The stored file: <c>export_{id}.json.zst</c>, <c>export_{id}.tar.gz</c>, …
    /// <paramref name="formatExtension"/> is the single export format's extension, or null when several
    /// formats are bundled into one archive.
    /// </summary>
    public static string ForJob(Guid jobId, string? formatExtension, CompressionFormat compression, ArchiveLayout layout = ArchiveLayout.Document) =>
        $"export_{jobId:D}{Suffix(compression, formatExtension, layout)}";

    /// <summary>One session's entry in a per-session archive: <c>sessions/{id}.json</c>, or <c>sessions/{id}.json.zst</c> as a frame of its own.</summary>
    public static string ForSessionEntry(Guid sessionId, string formatExtension, bool zstdFrame) =>
        $"sessions/{sessionId:D}.{formatExtension}{(zstdFrame ? ".zst" : "")}";

    /// <summary>An entry inside a tar archive, and the name of the file inside a .zst.</summary>
    public static string ForEntry(Guid jobId, string formatExtension) => $"export_{jobId:D}.{formatExtension}";

    /// <summary>
    /// One rule for every name: the format's extension when there is one format, then the container's:
    /// <c>.zst</c>, <c>.tar</c>, <c>.tar.gz</c>, <c>.tar.zst</c> (so <c>export_{id}.jsonl.tar.zst</c> and
    /// <c>export_{id}.jsonl.tar.gz</c> alike); a bundle of several formats has the container's alone. A
    /// per-session zstd archive is a plain tar of zstd frames, <c>.zst.tar</c> (as <c>.tar.zst</c> is a
    /// zstd frame of a tar); its decompressed download, the same tar with every session decompressed,
    /// drops the <c>.zst</c> like every other: <c>export_{id}.json.tar</c>.
    /// </summary>
    private static string Suffix(CompressionFormat compression, string? extension, ArchiveLayout layout) => (compression, extension) switch
    {
        _ when layout.HasZstdEntries(compression) => (extension is null ? "" : $".{extension}") + ".zst.tar",
        (CompressionFormat.None or CompressionFormat.Zstd, null) =>
            throw new ArgumentException($"{compression.GetWireName()} holds exactly one file; several formats need tar, tar.gz or tar.zst.", nameof(extension)),
        _ => (extension is null ? "" : $".{extension}") + ContainerSuffix(compression),
    };

    private static string ContainerSuffix(CompressionFormat compression) => compression switch
    {
        CompressionFormat.None => "",
        CompressionFormat.Zstd => ".zst",
        CompressionFormat.Tar => ".tar",
        CompressionFormat.TarGz => ".tar.gz",
        CompressionFormat.TarZst => ".tar.zst",
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
    };

    /// <summary>True for a name the app gives finished exports; anything else in the directory is not the app's.</summary>
    public static bool IsExportFile(string name) => ExportName().IsMatch(name);

    /// <summary>Parses <c>{export name}.{attempt}.partial</c> (and the attempt-less form older versions wrote).</summary>
    public static bool TryParsePartial(string name, out string fileName, out int? attempt)
    {
        var match = PartialName().Match(name);
        fileName = match.Success ? match.Groups["file"].Value : "";
        attempt = match.Success && match.Groups["attempt"].Success ? int.Parse(match.Groups["attempt"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        return match.Success;
    }

    [GeneratedRegex(@"^export_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.[a-z]{2,8})?(\.zst|\.tar|\.tar\.gz|\.tar\.zst|\.zst\.tar)?$")]
    private static partial Regex ExportName();

    [GeneratedRegex(@"^(?<file>export_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.[a-z]{2,8})?(\.zst|\.tar|\.tar\.gz|\.tar\.zst|\.zst\.tar)?)(\.(?<attempt>[0-9]{1,6}))?\.partial$")]
    private static partial Regex PartialName();
}
