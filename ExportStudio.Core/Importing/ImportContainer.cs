using System.Runtime.CompilerServices;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Importing;

/// <summary>One document found in an upload: where it came from (the file, or an archive's entry) and its bytes.</summary>
public sealed record ImportDocument(string Name, Stream Content);

/// <summary>
/// Opens what was uploaded, whatever holds it: plain, zstd or gzip, a tar (plain or compressed) whose JSON
/// entries are documents of their own, or a zip as ChatGPT and Claude send their exports — recognised by
/// content, never by name, and decompressed as a stream under the size limit. A per-session archive's
/// entries may be zstd frames of their own, with a dictionary (<see cref="PerSessionEntries"/>).
/// </summary>
public sealed class ImportContainer : IAsyncDisposable
{
    private const int SniffBytes = 512;
    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] EmptyZipMagic = [0x50, 0x4B, 0x05, 0x06];
    private readonly Stream? _content;
    private readonly CountingReadStream? _upload;
    private readonly ZipDocuments? _zip;
    private readonly Stream? _ownedSpool;

    private ImportContainer(StoredFormat outer, bool isTar, Stream content, CountingReadStream upload, long maxBytes)
    {
        (Outer, IsTar, _content, _upload, MaxBytes) = (outer, isTar, content, upload, maxBytes);
    }

    private ImportContainer(ZipDocuments zip, Stream? ownedSpool)
    {
        (IsZip, _zip, _ownedSpool) = (true, zip, ownedSpool);
    }

    /// <summary>The compression of the upload itself.</summary>
    public StoredFormat Outer { get; }

    public bool IsTar { get; }

    public bool IsZip { get; }

    private long MaxBytes { get; }

    /// <summary>Whether documents come from entries of an archive (named in the result).</summary>
    public bool IsArchive => IsTar || IsZip;

    /// <summary>How much of the upload has been read.</summary>
    public long BytesRead => _zip?.BytesRead ?? _upload!.BytesRead;

    /// <summary>How the upload was packed: plain, zstd, gzip, tar, tar.gz, tar.zst or zip.</summary>
    public string Description => (IsZip, Outer, IsTar) switch
    {
        (true, _, _) => "zip",
        (_, StoredFormat.Zstd, true) => "tar.zst",
        (_, StoredFormat.Gzip, true) => "tar.gz",
        (_, _, true) => "tar",
        (_, StoredFormat.Zstd, false) => "zstd",
        (_, StoredFormat.Gzip, false) => "gzip",
        _ => "plain",
    };

    /// <param name="spoolPath">Where to keep a zip that came as a stream which cannot seek (a zip is read from its end).</param>
    /// <param name="keptDictionary">The bytes of a dictionary the app keeps, by the zstd id a frame names; null when it keeps none by that id.</param>
    /// <exception cref="DecompressionLimitExceededException">The content grows past <paramref name="maxBytes"/> while read.</exception>
    public static async Task<ImportContainer> OpenAsync(Stream upload, long maxBytes, Func<string> spoolPath, CancellationToken cancellationToken,
        Func<uint, CancellationToken, Task<byte[]?>>? keptDictionary = null)
    {
        var start = upload.CanSeek ? upload.Position : 0;
        var (uploadStream, uploadHead) = await PrefixedStream.PeekAsync(upload, SniffBytes, cancellationToken);
        if (uploadHead.Span.StartsWith(ZipMagic) || uploadHead.Span.StartsWith(EmptyZipMagic))
        {
            return await OpenZipAsync(upload, uploadStream, start, maxBytes, spoolPath, cancellationToken);
        }
        byte[]? dictionary = null;
        if (Compression.Archives.ZstdDictionary.FrameDictionaryId(uploadHead.Span) is > 0 and var dictionaryId)
        {
            // A schedule's small run is one frame compressed with the dictionary the schedule keeps here.
            dictionary = keptDictionary is null ? null : await keptDictionary(dictionaryId, cancellationToken);
            if (dictionary is null)
            {
                throw new ImportRejectedException(
                    $"The file is a zstd frame compressed with dictionary {dictionaryId}, which is not part of it and which this app does not keep, so it cannot be decompressed. " +
                    "If it is one session of a per-session archive, import the whole archive (it holds dictionary.zdict); if it is a schedule's run from another ExportStudio, " +
                    $"decompress it there (its Original download) or with zstd -D dictionary-{dictionaryId}.zdict -d, using the dictionary that app serves at /api/v1/dictionaries.");
            }
        }
        var counted = new CountingReadStream(uploadStream);
        var outer = CompressedFileReader.Detect(uploadHead.Span);
        var content = CompressedFileReader.OpenContent(counted, maxBytes, dictionary);
        var (inner, innerHead) = await PrefixedStream.PeekAsync(content, SniffBytes, cancellationToken);
        return new ImportContainer(outer, CompressedFileReader.Detect(innerHead.Span) == StoredFormat.Tar, inner, counted, maxBytes);
    }

    private static async Task<ImportContainer> OpenZipAsync(Stream upload, Stream peeked, long start, long maxBytes, Func<string> spoolPath, CancellationToken cancellationToken)
    {
        // A zip is read from its end: an upload still arriving is waited for, then read in place.
        await UploadSpool.WhenWholeAsync(upload, cancellationToken);
        if (upload.CanSeek && start == 0)
        {
            upload.Position = 0;
            return new ImportContainer(ZipDocuments.Open(upload, maxBytes), null);
        }
        var spool = new FileStream(spoolPath(), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            await new CountingReadStream(peeked, maxBytes, limit => new DecompressionLimitExceededException(limit)).CopyToAsync(spool, cancellationToken);
            spool.Position = 0;
            return new ImportContainer(ZipDocuments.Open(spool, maxBytes), spool);
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The documents to read: the file itself, or the entries of an archive that hold JSON (the CSV and
    /// Markdown entries of a bundle carry nothing to import), in archive order. A document is valid until the next.
    /// </summary>
    public async IAsyncEnumerable<ImportDocument> ReadDocumentsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_zip is not null)
        {
            await foreach (var document in _zip.ReadAsync(head => LooksLikeJson(head.Span), cancellationToken))
            {
                yield return document;
            }
            yield break;
        }
        if (!IsTar)
        {
            yield return new ImportDocument("the file", _content!);
            yield break;
        }
        var found = 0;
        using var perSession = new PerSessionEntries(MaxBytes, SniffBytes);
        await foreach (var entry in TarEntryReader.ReadEntriesAsync(_content!, cancellationToken))
        {
            var (entryStream, entryHead) = await PrefixedStream.PeekAsync(entry.Content, SniffBytes, cancellationToken);
            var (document, head) = await perSession.OpenAsync(entry.Name, entryStream, entryHead, cancellationToken);
            if (document is not null && LooksLikeJson(head.Span))
            {
                found++;
                yield return new ImportDocument(entry.Name, document);
            }
        }
        if (found == 0)
        {
            throw new ImportRejectedException("The archive holds no JSON or JSON Lines export. Import an archive made by ExportStudio with the json or jsonl format.");
        }
    }

    /// <summary>The names of the archive's entries that were read as documents.</summary>
    public IReadOnlyList<string> ZipEntries => _zip?.Names ?? [];

    private static bool LooksLikeJson(ReadOnlySpan<byte> head)
    {
        head = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;
        var trimmed = head.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] is (byte)'{' or (byte)'[';
    }

    public async ValueTask DisposeAsync()
    {
        if (_content is not null)
        {
            await _content.DisposeAsync();
        }
        _zip?.Dispose();
        if (_ownedSpool is not null)
        {
            await _ownedSpool.DisposeAsync();
        }
    }
}
