using System.Runtime.CompilerServices;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Importing;

/// <summary>One document found in an upload: where it came from (the file, or a tar entry) and its bytes.</summary>
public sealed record ImportDocument(string Name, Stream Content);

/// <summary>
/// Opens what was uploaded, whatever holds it: plain, zstd or gzip, and a tar (plain or compressed) whose
/// JSON entries are documents of their own — recognised by content, never by name, and decompressed as a
/// stream under the size limit. A per-session archive's entries may be zstd frames of their own, with a
/// dictionary (<see cref="PerSessionEntries"/>).
/// </summary>
public sealed class ImportContainer
{
    private const int SniffBytes = 512;

    private ImportContainer(StoredFormat outer, bool isTar, Stream content, long maxBytes)
    {
        Outer = outer;
        IsTar = isTar;
        Content = content;
        MaxBytes = maxBytes;
    }

    /// <summary>The compression of the upload itself.</summary>
    public StoredFormat Outer { get; }

    public bool IsTar { get; }

    private Stream Content { get; }

    private long MaxBytes { get; }

    /// <summary>How the upload was packed: plain, zstd, gzip, tar, tar.gz or tar.zst.</summary>
    public string Description => (Outer, IsTar) switch
    {
        (StoredFormat.Zstd, true) => "tar.zst",
        (StoredFormat.Gzip, true) => "tar.gz",
        (_, true) => "tar",
        (StoredFormat.Zstd, false) => "zstd",
        (StoredFormat.Gzip, false) => "gzip",
        _ => "plain",
    };

    /// <exception cref="DecompressionLimitExceededException">The content grows past <paramref name="maxBytes"/> while read.</exception>
    public static async Task<ImportContainer> OpenAsync(Stream upload, long maxBytes, CancellationToken cancellationToken)
    {
        var (uploadStream, uploadHead) = await PrefixedStream.PeekAsync(upload, SniffBytes, cancellationToken);
        var outer = CompressedFileReader.Detect(uploadHead.Span);
        if (Compression.Archives.ZstdDictionary.FrameDictionaryId(uploadHead.Span) is > 0 and var dictionaryId)
        {
            throw new ImportRejectedException(
                $"The file is a zstd frame compressed with dictionary {dictionaryId}, which is not part of it, so it cannot be decompressed. " +
                "It is one session of a per-session archive: import the whole archive (it holds dictionary.zdict), or export again without a dictionary.");
        }
        var content = CompressedFileReader.OpenContent(uploadStream, maxBytes);
        var (inner, innerHead) = await PrefixedStream.PeekAsync(content, SniffBytes, cancellationToken);
        return new ImportContainer(outer, CompressedFileReader.Detect(innerHead.Span) == StoredFormat.Tar, inner, maxBytes);
    }

    /// <summary>
    /// The documents to read: the file itself, or each tar entry that holds JSON (the CSV and Markdown
    /// entries of a bundle carry nothing to import), in archive order. A document is valid until the next.
    /// </summary>
    public async IAsyncEnumerable<ImportDocument> ReadDocumentsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var content = Content;
        if (!IsTar)
        {
            var (document, head) = await PrefixedStream.PeekAsync(content, SniffBytes, cancellationToken);
            if (!LooksLikeJson(head.Span))
            {
                throw new ImportRejectedException(
                    "The file is not an ExportStudio export: expected JSON or JSON Lines, plain or compressed with zstd or gzip, or a tar / tar.gz / tar.zst holding them.");
            }
            yield return new ImportDocument("the file", document);
            yield break;
        }

        var found = 0;
        using var perSession = new PerSessionEntries(MaxBytes, SniffBytes);
        await foreach (var entry in TarEntryReader.ReadEntriesAsync(content, cancellationToken))
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

    private static bool LooksLikeJson(ReadOnlySpan<byte> head)
    {
        head = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;
        var trimmed = head.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] == (byte)'{';
    }
}
