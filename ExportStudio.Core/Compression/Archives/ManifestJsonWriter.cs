using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ExportStudio.Core.Compression.Archives;

/// <summary>The SHA-256 of one entry, kept inline: an archive may list hundreds of thousands of entries.</summary>
[InlineArray(32)]
internal struct Sha256Bytes
{
    private byte _first;
}

/// <summary>An entry written to the archive's spool, kept compactly until the manifest is written.</summary>
/// <param name="Offset">Where its data starts in the spool (the archive after the manifest).</param>
internal readonly record struct PendingEntry(Guid SessionId, string Title, string Format, string Path, long Offset, long StoredSize, long OriginalSize, Sha256Bytes Sha256);

/// <summary>What the manifest says about the whole archive.</summary>
internal sealed record ManifestHeader(
    DateTime ExportedAt, CompressionFormat Compression, int? Level, IReadOnlyList<string> Formats, int SessionCount, bool ZstdEntries,
    SessionArchiveDictionary? Dictionary, IReadOnlyList<SessionArchiveFile> Files);

/// <summary>
/// Streams <c>manifest.json</c> from the pending entries (never the whole list as objects), with the same
/// property names and order <see cref="SessionArchiveManifest"/> reads; the kind comes first, as readers
/// recognise a manifest by it.
/// </summary>
internal static class ManifestJsonWriter
{
    /// <summary>Writes the manifest with every offset moved by <paramref name="baseOffset"/> (where the spool starts in the archive).</summary>
    public static async Task WriteAsync(Stream output, ManifestHeader header, IReadOnlyList<PendingEntry> entries, long baseOffset, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = SessionArchiveManifest.JsonOptions.Encoder });
        json.WriteStartObject();
        json.WriteString("kind"u8, SessionArchiveManifest.KindValue);
        json.WriteNumber("manifestVersion"u8, 1);
        json.WriteString("generator"u8, "ExportStudio");
        json.WriteString("exportedAt"u8, header.ExportedAt);
        json.WriteString("compression"u8, header.Compression.GetWireName());
        json.WriteString("offsetsIn"u8, header.Compression.IsCompressed() && !header.ZstdEntries ? "tar" : "file");
        json.WriteString("entryCompression"u8, header.ZstdEntries ? "zstd" : "none");
        if (header.Level is { } level)
        {
            json.WriteNumber("compressionLevel"u8, level);
        }
        else
        {
            json.WriteNull("compressionLevel"u8);
        }
        json.WriteNumber("sessionCount"u8, header.SessionCount);
        json.WriteStartArray("formats"u8);
        foreach (var format in header.Formats)
        {
            json.WriteStringValue(format);
        }
        json.WriteEndArray();
        WriteDictionary(json, header.Dictionary, baseOffset);
        json.WriteStartArray("files"u8);
        foreach (var file in header.Files)
        {
            json.WriteStartObject();
            json.WriteString("path"u8, file.Path);
            json.WriteNumber("offset"u8, baseOffset + file.Offset);
            json.WriteNumber("size"u8, file.Size);
            json.WriteString("sha256"u8, file.Sha256);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("entries"u8);
        var hex = new char[64];
        foreach (var entry in entries)
        {
            json.WriteStartObject();
            json.WriteString("sessionId"u8, entry.SessionId);
            json.WriteString("title"u8, entry.Title);
            json.WriteString("format"u8, entry.Format);
            json.WriteString("path"u8, entry.Path);
            json.WriteNumber("offset"u8, baseOffset + entry.Offset);
            json.WriteNumber("storedSize"u8, entry.StoredSize);
            json.WriteNumber("originalSize"u8, entry.OriginalSize);
            var hash = entry.Sha256;
            Convert.TryToHexStringLower(hash, hex, out _);
            json.WriteString("sha256"u8, hex);
            json.WriteEndObject();
            if (json.BytesPending > 1 << 16)
            {
                await json.FlushAsync(cancellationToken);
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static void WriteDictionary(Utf8JsonWriter json, SessionArchiveDictionary? dictionary, long baseOffset)
    {
        if (dictionary is null)
        {
            json.WriteNull("dictionary"u8);
            return;
        }
        json.WriteStartObject("dictionary"u8);
        json.WriteNumber("id"u8, dictionary.Id);
        json.WriteString("path"u8, dictionary.Path);
        json.WriteNumber("offset"u8, baseOffset + dictionary.Offset);
        json.WriteNumber("size"u8, dictionary.Size);
        json.WriteString("sha256"u8, dictionary.Sha256);
        json.WriteNumber("trainedOnSessions"u8, dictionary.TrainedOnSessions);
        json.WriteNumber("trainedOnBytes"u8, dictionary.TrainedOnBytes);
        json.WriteEndObject();
    }

    /// <summary>
    /// The manifest's length and the offset where the spool starts behind it. Offsets are in the manifest,
    /// so its length depends on them: start from a guess and repeat until the padded length holds still
    /// (longer offsets only ever add digits, so this settles within a few rounds).
    /// </summary>
    public static async Task<(long Length, long BaseOffset)> MeasureAsync(ManifestHeader header, IReadOnlyList<PendingEntry> entries, CancellationToken cancellationToken)
    {
        long baseOffset = TarBlocks.BlockSize;
        for (var round = 0; ; round++)
        {
            var counter = new LengthCounter();
            await WriteAsync(counter, header, entries, baseOffset, cancellationToken);
            var next = TarBlocks.EntryLength(counter.Length);
            if (next == baseOffset || round > 16)
            {
                return (counter.Length, next);
            }
            baseOffset = next;
        }
    }

    private sealed class LengthCounter : Streams.WriteOnlyStream
    {
        public override long Length => _length;
        private long _length;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
