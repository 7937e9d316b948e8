namespace ExportStudio.Core.Compression.Streams;

/// <summary>
/// Keeps what is written while it stays within <c>limit</c> bytes; past it, keeps nothing more and says
/// so, so a writer can find out cheaply whether a document is small without a second copy of a large one.
/// </summary>
internal sealed class BoundedBufferStream(int limit) : WriteOnlyStream
{
    private readonly PooledBufferStream _buffer = new(Math.Min(limit, 64 << 10));

    public bool Overflowed { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public override long Length => _buffer.Length;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Overflowed || _buffer.Length + buffer.Length > limit)
        {
            Overflowed = true;
            return;
        }
        _buffer.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
        }
        base.Dispose(disposing);
    }
}
