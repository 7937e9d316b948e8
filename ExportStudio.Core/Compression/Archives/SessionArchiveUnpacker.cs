namespace ExportStudio.Core.Compression.Archives;

/// <summary>
/// The decompressed form of a per-session zstd archive, made as it streams: the same tar with every
/// session's frame decompressed (<c>sessions/{id}.json</c>), no dictionary (nothing needs it), and the
/// manifest rewritten to say so and to give the offsets in this tar. What a person gets from the Original
/// download: every session readable with tar alone. Memory holds the manifest and one copy buffer.
/// </summary>
public static class SessionArchiveUnpacker
{
    private const int CopyBufferSize = 1 << 16;
    private static readonly byte[] Zeros = new byte[TarBlocks.RecordSize];

    /// <exception cref="CorruptCompressedDataException">The archive is damaged or does not match its manifest.</exception>
    public static async Task WriteDecompressedAsync(Stream storedTar, Stream destination, CancellationToken cancellationToken)
    {
        using var archive = new SessionArchiveReader();
        await using var entries = TarEntryReader.ReadEntriesAsync(storedTar, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var manifest = await ReadManifestAsync(archive, entries, cancellationToken);
        var (header, pending) = Decompressed(manifest);
        var (manifestLength, baseOffset) = await ManifestJsonWriter.MeasureAsync(header, pending, cancellationToken);
        var block = new byte[TarBlocks.BlockSize];
        TarBlocks.WriteHeader(block, SessionArchiveManifest.EntryName, manifestLength, manifest.ExportedAt);
        await destination.WriteAsync(block, cancellationToken);
        await ManifestJsonWriter.WriteAsync(destination, header, pending, baseOffset, cancellationToken);
        await destination.WriteAsync(Zeros.AsMemory(0, TarBlocks.Padding(manifestLength)), cancellationToken);

        var next = 0;
        var buffer = new byte[CopyBufferSize];
        while (await entries.MoveNextAsync())
        {
            var entry = entries.Current;
            var (content, head) = await Streams.PrefixedStream.PeekAsync(entry.Content, CompressedFileReader.DetectBytes, cancellationToken);
            if (SessionArchiveReader.Classify(head.Span) == SessionArchiveEntryKind.Dictionary)
            {
                await archive.ReadDictionaryAsync(content, cancellationToken);
                continue;
            }
            if (next == 0 && manifest.Files.FirstOrDefault(f => f.Path == entry.Name) is { } file)
            {
                // Plain already: copied as it is, at the place the rewritten manifest gives it.
                TarBlocks.WriteHeader(block, file.Path, file.Size, manifest.ExportedAt);
                await destination.WriteAsync(block, cancellationToken);
                await content.CopyToAsync(destination, cancellationToken);
                await destination.WriteAsync(Zeros.AsMemory(0, TarBlocks.Padding(file.Size)), cancellationToken);
                continue;
            }
            if (next >= manifest.Entries.Count || manifest.Entries[next].Path != entry.Name)
            {
                throw Mismatch($"entry '{entry.Name}' is not the one it lists next");
            }
            var expected = manifest.Entries[next];
            TarBlocks.WriteHeader(block, pending[next++].Path, expected.OriginalSize, manifest.ExportedAt);
            await destination.WriteAsync(block, cancellationToken);
            await CopyFrameAsync(archive, entry.Name, content, head, expected.OriginalSize, destination, buffer, cancellationToken);
            await destination.WriteAsync(Zeros.AsMemory(0, TarBlocks.Padding(expected.OriginalSize)), cancellationToken);
        }
        if (next != manifest.Entries.Count)
        {
            throw Mismatch($"{manifest.Entries.Count - next} of its entries are missing");
        }
        var length = baseOffset + header.Files.Sum(f => TarBlocks.EntryLength(f.Size)) + pending.Sum(p => TarBlocks.EntryLength(p.OriginalSize));
        await destination.WriteAsync(Zeros.AsMemory(0, TarBlocks.EndLength(length)), cancellationToken);
    }

    private static async Task<SessionArchiveManifest> ReadManifestAsync(SessionArchiveReader archive, IAsyncEnumerator<TarArchiveEntry> entries, CancellationToken cancellationToken)
    {
        if (!await entries.MoveNextAsync())
        {
            throw Mismatch("it holds no entries");
        }
        try
        {
            return await archive.ReadManifestAsync(entries.Current.Content, cancellationToken);
        }
        catch (InvalidDataException exception)
        {
            throw new CorruptCompressedDataException($"The per-session archive does not start with its manifest: {exception.Message}", exception);
        }
    }

    /// <summary>The manifest of the decompressed tar: the same entries without .zst, each as large as its original, one after another.</summary>
    private static (ManifestHeader Header, List<PendingEntry> Entries) Decompressed(SessionArchiveManifest manifest)
    {
        long offset = 0;
        var files = new List<SessionArchiveFile>(manifest.Files.Count);
        foreach (var file in manifest.Files)
        {
            files.Add(file with { Offset = offset + TarBlocks.BlockSize });
            offset += TarBlocks.EntryLength(file.Size);
        }
        var header = new ManifestHeader(manifest.ExportedAt, CompressionFormat.Tar, null, manifest.Formats, manifest.SessionCount, ZstdEntries: false, Dictionary: null, files);
        var entries = new List<PendingEntry>(manifest.Entries.Count);
        foreach (var entry in manifest.Entries)
        {
            var hash = default(Sha256Bytes);
            Convert.FromHexString(entry.Sha256, hash, out _, out _);
            var path = entry.Path.EndsWith(".zst", StringComparison.Ordinal) ? entry.Path[..^4] : entry.Path;
            entries.Add(new PendingEntry(entry.SessionId, entry.Title, entry.Format, path, offset + TarBlocks.BlockSize, entry.OriginalSize, entry.OriginalSize, hash));
            offset += TarBlocks.EntryLength(entry.OriginalSize);
        }
        return (header, entries);
    }

    private static async Task CopyFrameAsync(SessionArchiveReader archive, string name, Stream content, ReadOnlyMemory<byte> head, long size,
        Stream destination, byte[] buffer, CancellationToken cancellationToken)
    {
        Stream frame;
        try
        {
            frame = archive.OpenFrame(name, content, head.Span, size);
        }
        catch (MissingDictionaryException exception)
        {
            throw new CorruptCompressedDataException(exception.Message, exception);
        }
        await using (frame)
        {
            long copied = 0;
            int read;
            try
            {
                while ((read = await frame.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    copied += read;
                }
            }
            catch (DecompressionLimitExceededException)
            {
                throw Mismatch($"entry '{name}' decompresses to more than the {size:N0} bytes it lists");
            }
            if (copied != size)
            {
                throw Mismatch($"entry '{name}' decompresses to {copied:N0} bytes, not the {size:N0} it lists");
            }
        }
    }

    private static CorruptCompressedDataException Mismatch(string detail) =>
        new($"The per-session archive does not match its manifest: {detail}.");
}
