using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExportStudio.Core.Compression.Archives;

/// <summary>
/// <c>manifest.json</c>, the first entry of a per-session archive: where every session's entry is, so a
/// reader (the import, the decompressed download, a viewer in the browser fetching one session with a
/// Range request) finds any one without reading the others. Offsets are byte positions of an entry's data:
/// in the stored file for a plain tar (<c>offsetsIn</c> = <c>file</c>, which includes per-session zstd), in
/// the tar inside the compressed stream for tar.gz and tar.zst (<c>tar</c>). Each entry's
/// <c>sha256</c> is of its original bytes (decompressed), so a session hashes the same in every layout;
/// a zstd frame carries its own checksum of what it decompresses to.
/// </summary>
public sealed record SessionArchiveManifest
{
    /// <summary>The first property of every manifest, and how a reader tells it from a document.</summary>
    public const string KindValue = "ExportStudio per-session archive";
    public const string EntryName = "manifest.json";

    public string Kind { get; init; } = KindValue;
    public int ManifestVersion { get; init; } = 1;
    public string Generator { get; init; } = "ExportStudio";
    public DateTime ExportedAt { get; init; }

    /// <summary>The stored file's compression: tar, tar.gz, tar.zst, or zstd (a tar of zstd frames).</summary>
    public required string Compression { get; init; }

    /// <summary><c>file</c> or <c>tar</c>: what <see cref="SessionArchiveEntry.Offset"/> counts in.</summary>
    public required string OffsetsIn { get; init; }

    /// <summary><c>zstd</c> when every session entry is a zstd frame of its own, else <c>none</c>.</summary>
    public required string EntryCompression { get; init; }

    public int? CompressionLevel { get; init; }
    public int SessionCount { get; init; }
    public IReadOnlyList<string> Formats { get; init; } = [];

    /// <summary>The dictionary every frame was compressed with, or null for none.</summary>
    public SessionArchiveDictionary? Dictionary { get; init; }

    /// <summary>Other files the archive carries beside the sessions (an incremental run's <c>increment.json</c>), plain, before the sessions.</summary>
    public IReadOnlyList<SessionArchiveFile> Files { get; init; } = [];

    public IReadOnlyList<SessionArchiveEntry> Entries { get; init; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        // Titles in any script stay readable; the file is data, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    /// <summary>Reads a manifest, or says why it is not one.</summary>
    /// <exception cref="InvalidDataException">Not JSON, not a manifest, or a version this reader does not know.</exception>
    public static SessionArchiveManifest Parse(ReadOnlySpan<byte> utf8)
    {
        SessionArchiveManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<SessionArchiveManifest>(utf8, JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{EntryName} is not valid JSON ({exception.Message}).", exception);
        }
        if (manifest is null || manifest.Kind != KindValue)
        {
            throw new InvalidDataException($"{EntryName} is not an ExportStudio manifest.");
        }
        if (manifest.ManifestVersion != 1)
        {
            throw new InvalidDataException($"{EntryName} has version {manifest.ManifestVersion}; this ExportStudio reads version 1.");
        }
        return manifest;
    }

    /// <summary>True when <paramref name="head"/> (the first bytes of an entry) starts a manifest: its first property says so.</summary>
    public static bool LooksLikeManifest(ReadOnlySpan<byte> head) =>
        head.TrimStart(" \t\r\n"u8).StartsWith("{\"kind\":\"ExportStudio per-session archive\""u8);
}

/// <summary>One session's document in one format.</summary>
/// <param name="Offset">Where the entry's data starts (after its tar header), in what the manifest's <c>offsetsIn</c> says.</param>
/// <param name="StoredSize">The entry's bytes in the archive (the frame, for zstd entries).</param>
/// <param name="OriginalSize">The document's bytes once decompressed.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the original bytes.</param>
public sealed record SessionArchiveEntry(
    Guid SessionId, string Title, string Format, string Path, long Offset, long StoredSize, long OriginalSize, string Sha256);

/// <summary>A plain file of the archive that is not a session: where its bytes are and their SHA-256.</summary>
public sealed record SessionArchiveFile(string Path, long Offset, long Size, string Sha256);

/// <summary>The zstd dictionary of the archive's frames: its id (in every frame's header) and where it is.</summary>
public sealed record SessionArchiveDictionary(uint Id, string Path, long Offset, long Size, string Sha256, int TrainedOnSessions, long TrainedOnBytes);
