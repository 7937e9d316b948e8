using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Exporting.Reading;

/// <summary>
/// Storage for the UTF-8 text of one batch of sessions: values are copied into pooled 1 MiB chunks (large
/// ones get a pooled array of their own) and everything goes back to the pool when the batch is disposed,
/// so reading rows makes next to no garbage whatever the export's size.
/// </summary>
internal sealed class Utf8Arena : IDisposable
{
    private const int ChunkSize = 1 << 20;
    private const int OwnArrayAbove = ChunkSize / 4;

    private readonly List<byte[]> _rented = [];
    private byte[]? _chunk;
    private int _used;

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        if (value.Length > OwnArrayAbove)
        {
            var own = Rent(value.Length);
            value.CopyTo(own);
            return own.AsMemory(0, value.Length);
        }
        if (_chunk is null || ChunkSize - _used < value.Length)
        {
            _chunk = Rent(ChunkSize);
            _used = 0;
        }
        value.CopyTo(_chunk.AsSpan(_used));
        var copy = _chunk.AsMemory(_used, value.Length);
        _used += value.Length;
        return copy;
    }

    private byte[] Rent(int length)
    {
        var array = LargeBuffers.Pool.Rent(length);
        _rented.Add(array);
        return array;
    }

    public void Dispose()
    {
        foreach (var array in _rented)
        {
            LargeBuffers.Pool.Return(array);
        }
        _rented.Clear();
        _chunk = null;
    }
}
