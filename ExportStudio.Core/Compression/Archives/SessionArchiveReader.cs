using ZstdSharp;

namespace ExportStudio.Core.Compression.Archives;

/// <summary>What an entry of a tar is to a per-session archive, told by its first bytes (never its name).</summary>
public enum SessionArchiveEntryKind
{
    Manifest,
    Dictionary,
    ZstdFrame,
    Other,
}

/// <summary>A zstd frame names a dictionary the archive does not hold (or holds a different one).</summary>
public sealed class MissingDictionaryException(string message) : IOException(message);

/// <summary>
/// Reads the entries of a per-session archive in order, as a stream: remembers the manifest and the
/// dictionary as they come (both precede the sessions), and opens each zstd frame with that dictionary,
/// refusing a frame whose dictionary is not there before decoding a byte of it.
/// </summary>
public sealed class SessionArchiveReader : IDisposable
{
    private readonly Decompressor _decompressor = new();
    private ZstdDictionary? _dictionary;

    /// <summary>The archive's manifest, once its entry has been read.</summary>
    public SessionArchiveManifest? Manifest { get; private set; }

    public ZstdDictionary? Dictionary => _dictionary;

    public static SessionArchiveEntryKind Classify(ReadOnlySpan<byte> head) => head switch
    {
        _ when SessionArchiveManifest.LooksLikeManifest(head) => SessionArchiveEntryKind.Manifest,
        _ when ZstdDictionary.IsDictionary(head) => SessionArchiveEntryKind.Dictionary,
        _ when ZstdDictionary.FrameDictionaryId(head) is not null => SessionArchiveEntryKind.ZstdFrame,
        _ => SessionArchiveEntryKind.Other,
    };

    /// <exception cref="InvalidDataException">The entry is not a manifest this version reads.</exception>
    public async Task<SessionArchiveManifest> ReadManifestAsync(Stream entry, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await entry.CopyToAsync(buffer, cancellationToken);
        return Manifest = SessionArchiveManifest.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <exception cref="InvalidDataException">Not a dictionary.</exception>
    /// <exception cref="MissingDictionaryException">Not the dictionary the manifest names.</exception>
    public async Task<ZstdDictionary> ReadDictionaryAsync(Stream entry, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await entry.CopyToAsync(buffer, cancellationToken);
        var dictionary = ZstdDictionary.Load(buffer.ToArray());
        if (Manifest?.Dictionary is { } named && named.Id != dictionary.Id)
        {
            throw new MissingDictionaryException(
                $"The archive's {ZstdDictionary.EntryName} has id {dictionary.Id}, but its manifest names dictionary {named.Id}; the archive was put together from different exports.");
        }
        _decompressor.LoadDictionary(dictionary.Content);
        return _dictionary = dictionary;
    }

    /// <summary>The decompressed content of the frame in entry <paramref name="name"/>; valid until the next frame is opened.</summary>
    /// <exception cref="MissingDictionaryException">The frame was compressed with a dictionary this archive does not hold.</exception>
    public Stream OpenFrame(string name, Stream entry, ReadOnlySpan<byte> head, long maxDecompressedBytes)
    {
        var needed = ZstdDictionary.FrameDictionaryId(head) ?? 0;
        if (needed != 0 && _dictionary?.Id != needed)
        {
            throw new MissingDictionaryException(_dictionary is null
                ? $"Entry '{name}' was compressed with zstd dictionary {needed}, and the archive holds no {ZstdDictionary.EntryName} before it, so it cannot be decompressed. " +
                  $"Keep {ZstdDictionary.EntryName} in the archive (ahead of the sessions, where ExportStudio puts it), or export again without a dictionary."
                : $"Entry '{name}' was compressed with zstd dictionary {needed}, but the archive's {ZstdDictionary.EntryName} is dictionary {_dictionary.Id}; " +
                  "the archive was put together from different exports.");
        }
        return CompressedFileReader.OpenZstdFrame(entry, _decompressor, maxDecompressedBytes);
    }

    public void Dispose() => _decompressor.Dispose();
}
