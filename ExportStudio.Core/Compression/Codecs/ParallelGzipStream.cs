using System.IO.Compression;
using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Compression.Codecs;

/// <summary>
/// A write-only gzip stream that compresses independent blocks on all cores at once, like pigz, and writes
/// them in order as concatenated gzip members — valid gzip that gzip, tar and every decoder accept.
/// Memory is bounded: at most a few blocks per worker are in flight.
/// </summary>
/// <remarks>
/// Blocks are compressed without a shared dictionary (GZipStream cannot prime one), so each block is made
/// large enough (2 MiB) that the ratio stays within a fraction of a percent of a single-stream gzip.
/// <para>
/// Every member's header carries its own length, so a reader can split the file into members without
/// inflating it: decoders that stop after the first member (the browsers' <c>DecompressionStream</c>)
/// can then be given one member at a time. RFC 1952 makes room for this in the optional extra field
/// (FLG.FEXTRA), as BGZF does with its 16-bit "BC" subfield; ours is 32-bit, see
/// <see cref="MemberLengthField"/>. Decoders that do not know the subfield skip it, so the file stays
/// plain gzip for gzip, tar and every other tool.
/// </para>
/// </remarks>
internal sealed class ParallelGzipStream : WriteOnlyStream
{
    internal const int BlockSize = 2 << 20;

    private readonly Stream _inner;
    private readonly ZLibCompressionOptions _options;
    private readonly int _maxInFlight;
    private readonly Queue<Task<CompressedBlock>> _inFlight = new();
    private byte[] _block;
    private int _blockLength;
    private bool _wroteAnyMember;
    private bool _finished;

    public ParallelGzipStream(Stream inner, int level, int workers)
    {
        _inner = inner;
        _options = new ZLibCompressionOptions { CompressionLevel = level, CompressionStrategy = ZLibCompressionStrategy.Default };
        _maxInFlight = Math.Max(2, workers * 2);
        _block = LargeBuffers.Pool.Rent(BlockSize);
    }

    public override bool CanWrite => !_finished;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, BlockSize - _blockLength);
            buffer[..take].CopyTo(_block.AsSpan(_blockLength));
            _blockLength += take;
            buffer = buffer[take..];
            if (_blockLength == BlockSize)
            {
                SubmitBlock();
                while (_inFlight.Count >= _maxInFlight)
                {
                    WriteMember(_inFlight.Dequeue().GetAwaiter().GetResult());
                }
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, BlockSize - _blockLength);
            buffer.Span[..take].CopyTo(_block.AsSpan(_blockLength));
            _blockLength += take;
            buffer = buffer[take..];
            if (_blockLength == BlockSize)
            {
                SubmitBlock();
                while (_inFlight.Count >= _maxInFlight)
                {
                    await WriteMemberAsync(await _inFlight.Dequeue(), cancellationToken);
                }
            }
        }
    }

    /// <summary>Compresses what is left, writes every member in order; the gzip stream is complete afterwards.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken = default)
    {
        if (_finished)
        {
            return;
        }
        // An empty input still gets one (empty) member: zero bytes is not valid gzip.
        if (_blockLength > 0 || (!_wroteAnyMember && _inFlight.Count == 0))
        {
            SubmitBlock();
        }
        while (_inFlight.Count > 0)
        {
            await WriteMemberAsync(await _inFlight.Dequeue(), cancellationToken);
        }
        _finished = true;
        await _inner.FlushAsync(cancellationToken);
    }

    private void SubmitBlock()
    {
        var block = _block;
        var length = _blockLength;
        _block = LargeBuffers.Pool.Rent(BlockSize);
        _blockLength = 0;
        _inFlight.Enqueue(Task.Run(() => Compress(block, length)));
    }

    private CompressedBlock Compress(byte[] block, int length)
    {
        try
        {
            // Deflate rarely expands by more than a few bytes per 16 KiB; the pooled buffer grows if it must.
            var output = new PooledBufferStream(length / 2 + 1024, LargeBuffers.Pool);
            using (var gzip = new GZipStream(output, _options, leaveOpen: true))
            {
                gzip.Write(block, 0, length);
            }
            return new CompressedBlock(output, MemberLengthField.Header(output.WrittenSpan));
        }
        finally
        {
            LargeBuffers.Pool.Return(block);
        }
    }

    private void WriteMember(CompressedBlock member)
    {
        using (member.Output)
        {
            _inner.Write(member.Header);
            _inner.Write(member.Output.WrittenSpan[MemberLengthField.PlainHeaderLength..]);
        }
        _wroteAnyMember = true;
    }

    private async ValueTask WriteMemberAsync(CompressedBlock member, CancellationToken cancellationToken)
    {
        using (member.Output)
        {
            await _inner.WriteAsync(member.Header, cancellationToken);
            await _inner.WriteAsync(member.Output.WrittenMemory[MemberLengthField.PlainHeaderLength..], cancellationToken);
        }
        _wroteAnyMember = true;
    }

    public override void Flush()
    {
        // Members are written as blocks complete; a flush cannot end a block early without hurting the ratio.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Abandoned (failure or cancellation): let in-flight blocks finish, then return their buffers.
            while (_inFlight.Count > 0)
            {
                try
                {
                    _inFlight.Dequeue().GetAwaiter().GetResult().Output.Dispose();
                }
                catch (Exception)
                {
                    // Already failing; the first error is the one reported.
                }
            }
            if (_block.Length > 0)
            {
                LargeBuffers.Pool.Return(_block);
                _block = [];
            }
        }
        base.Dispose(disposing);
    }

    private sealed record CompressedBlock(PooledBufferStream Output, byte[] Header);
}
