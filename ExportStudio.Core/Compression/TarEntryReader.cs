using System.Runtime.CompilerServices;
using System.Text;
using ExportStudio.Core.Compression.Streams;
using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.Tar;

namespace ExportStudio.Core.Compression;

/// <summary>One file inside a tar archive; its content stream is valid until the next entry is read.</summary>
public sealed record TarArchiveEntry(string Name, long Size, Stream Content);

/// <summary>Enumerates the regular files of a tar stream in constant memory, refusing a malformed archive cleanly.</summary>
public static class TarEntryReader
{
    public static async IAsyncEnumerable<TarArchiveEntry> ReadEntriesAsync(Stream tar, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var counted = new CountingReadStream(tar);
        await using var input = new TarInputStream(counted, Encoding.UTF8) { IsStreamOwner = false };
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await input.GetNextEntryAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is TarException or SharpZipBaseException or EndOfStreamException)
            {
                throw new CorruptCompressedDataException($"The tar archive is malformed or truncated ({exception.Message}).", exception);
            }
            if (entry is null)
            {
                // SharpZipLib reads a short last record as the end of the archive; a whole tar is always
                // a multiple of 512-byte blocks, so anything else was cut off.
                await counted.CopyToAsync(Stream.Null, cancellationToken);
                if (counted.BytesRead % 512 != 0 || counted.BytesRead == 0)
                {
                    throw new CorruptCompressedDataException($"The tar archive is truncated ({counted.BytesRead:N0} bytes, not a whole number of 512-byte blocks).");
                }
                yield break;
            }
            if (entry.IsDirectory || entry.TarHeader.TypeFlag is not (TarHeader.LF_NORMAL or TarHeader.LF_OLDNORM))
            {
                continue; // links, devices and directories carry nothing to read
            }
            yield return new TarArchiveEntry(entry.Name, entry.Size, new TarEntryContentStream(input, entry.Size));
        }
    }

    /// <summary>Reads exactly one entry's bytes from the tar stream, and says so when the archive ends early.</summary>
    private sealed class TarEntryContentStream(TarInputStream tar, long size) : ReadOnlyStream
    {
        private long _remaining = size;

        public override long Length { get; } = size;
        public override long Position { get => Length - _remaining; set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            if (_remaining == 0 || buffer.IsEmpty)
            {
                return 0;
            }
            var wanted = (int)Math.Min(buffer.Length, _remaining);
            var rented = LargeBuffers.Pool.Rent(wanted);
            int read;
            try
            {
                read = tar.Read(rented, 0, wanted);
                rented.AsSpan(0, read).CopyTo(buffer);
            }
            catch (Exception exception) when (exception is TarException or SharpZipBaseException or EndOfStreamException)
            {
                throw new CorruptCompressedDataException($"The tar archive is malformed or truncated ({exception.Message}).", exception);
            }
            finally
            {
                LargeBuffers.Pool.Return(rented);
            }
            if (read == 0)
            {
                throw new CorruptCompressedDataException($"The tar archive ends inside an entry, {_remaining:N0} bytes short.");
            }
            _remaining -= read;
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }
}
