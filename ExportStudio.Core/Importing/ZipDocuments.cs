using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Importing;

/// <summary>
/// The documents of a .zip as ChatGPT and Claude send their data exports: <c>conversations.json</c>, or,
/// in ChatGPT's newer exports, its shards <c>conversations-000.json</c>, <c>conversations-001.json</c>, … in
/// number order; the rest of the archive (HTML, user records, projects, images) is not conversations and is
/// left alone. A zip without them is read like a tar: each entry that holds JSON. Every entry is
/// decompressed as a stream, and the import stops the moment the entries read grow past the size limit,
/// whatever sizes the archive declares.
/// </summary>
internal sealed partial class ZipDocuments(ZipArchive archive, long maxBytes) : IDisposable
{
    private readonly long _limit = maxBytes;
    private long _budget = maxBytes;
    private long _done;
    private (ZipArchiveEntry Entry, CountingReadStream Content)? _current;

    /// <summary>About how much of the archive has been read: the compressed size of the entries read, in proportion.</summary>
    public long BytesRead => _done + (_current is var (entry, content) && entry.Length > 0 ? entry.CompressedLength * content.BytesRead / entry.Length : 0);

    public List<string> Names { get; } = [];

    /// <exception cref="CorruptCompressedDataException">The archive is damaged.</exception>
    public static ZipDocuments Open(Stream seekable, long maxBytes)
    {
        try
        {
            return new ZipDocuments(new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: true), maxBytes);
        }
        catch (InvalidDataException exception)
        {
            throw new CorruptCompressedDataException($"The zip archive is damaged ({exception.Message}).", exception);
        }
    }

    public async IAsyncEnumerable<ImportDocument> ReadAsync(Func<ReadOnlyMemory<byte>, bool> looksLikeJson, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var files = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
        var chosen = Conversations(files);
        var found = 0;
        foreach (var entry in chosen.Count > 0 ? chosen : files)
        {
            var content = Open(entry);
            var (document, head) = await PrefixedStream.PeekAsync(content, 512, cancellationToken);
            await using (document)
            {
                if (chosen.Count > 0 || looksLikeJson(head))
                {
                    found++;
                    Names.Add(entry.FullName);
                    yield return new ImportDocument(entry.FullName, document);
                }
            }
            // What was read counts, not what the archive declares: a declared size can lie.
            _budget -= content.BytesRead;
            _done += entry.CompressedLength;
            _current = null;
        }
        if (found == 0)
        {
            throw new ImportRejectedException("The zip archive holds no conversations.json and no other JSON: it is not a data export ExportStudio reads.");
        }
    }

    /// <summary>The shallowest <c>conversations.json</c>, else the numbered shards in order.</summary>
    private static List<ZipArchiveEntry> Conversations(List<ZipArchiveEntry> files)
    {
        var whole = files.Where(e => e.Name == "conversations.json").OrderBy(e => e.FullName.Count(c => c == '/')).Take(1).ToList();
        if (whole.Count > 0)
        {
            return whole;
        }
        return files.Select(e => (Entry: e, Match: Shard().Match(e.Name))).Where(s => s.Match.Success)
            .OrderBy(s => s.Entry.FullName.Count(c => c == '/')).ThenBy(s => long.Parse(s.Match.Groups[1].Value)).Select(s => s.Entry).ToList();
    }

    private CountingReadStream Open(ZipArchiveEntry entry)
    {
        if (entry.Length > _budget)
        {
            throw new DecompressionLimitExceededException(_limit);
        }
        try
        {
            var content = new CountingReadStream(new ZipEntryErrors(entry.Open()), _budget, _ => new DecompressionLimitExceededException(_limit), leaveOpen: false);
            _current = (entry, content);
            return content;
        }
        catch (InvalidDataException exception)
        {
            throw new CorruptCompressedDataException($"The zip entry {entry.FullName} cannot be read ({exception.Message}).", exception);
        }
    }

    public void Dispose() => archive.Dispose();

    [GeneratedRegex("^conversations-([0-9]{1,9})\\.json$")]
    private static partial Regex Shard();

    /// <summary>A damaged entry (bad data, a wrong checksum) is the one exception callers handle for damaged data.</summary>
    private sealed class ZipEntryErrors(Stream inner) : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            try
            {
                return inner.Read(buffer);
            }
            catch (InvalidDataException exception)
            {
                throw new CorruptCompressedDataException($"The zip archive is damaged ({exception.Message}).", exception);
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (InvalidDataException exception)
            {
                throw new CorruptCompressedDataException($"The zip archive is damaged ({exception.Message}).", exception);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
