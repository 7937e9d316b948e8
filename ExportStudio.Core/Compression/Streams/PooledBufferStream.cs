using System.Buffers;

namespace ExportStudio.Core.Compression.Streams;

/// <summary>A write-only growable buffer on pooled arrays, returned on dispose (a MemoryStream without the garbage).</summary>
/// <param name="pool">Where the arrays come from; the shared pool by default.</param>
internal sealed class PooledBufferStream(int initialCapacity, ArrayPool<byte>? pool = null) : WriteOnlyStream
{
    private readonly ArrayPool<byte> _pool = pool ?? ArrayPool<byte>.Shared;
    private byte[] _buffer = (pool ?? ArrayPool<byte>.Shared).Rent(Math.Max(256, initialCapacity));
    private int _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public override long Length => _length;

    /// <summary>Empties the buffer, keeping its array for the next contents.</summary>
    public void Clear() => _length = 0;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_length + buffer.Length > _buffer.Length)
        {
            var grown = _pool.Rent(Math.Max(_buffer.Length * 2, _length + buffer.Length));
            _buffer.AsSpan(0, _length).CopyTo(grown);
            _pool.Return(_buffer);
            _buffer = grown;
        }
        buffer.CopyTo(_buffer.AsSpan(_length));
        _length += buffer.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            _pool.Return(_buffer);
            _buffer = [];
        }
        base.Dispose(disposing);
    }
}
