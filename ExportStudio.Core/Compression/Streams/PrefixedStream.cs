namespace ExportStudio.Core.Compression.Streams;

/// <summary>
/// A read-only stream that replays bytes already read from <paramref name="inner"/> before the rest of it,
/// so content can be sniffed from a stream that cannot seek (a decompressor) without losing those bytes.
/// </summary>
public sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : ReadOnlyStream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    /// <summary>Reads up to <paramref name="count"/> bytes and returns them with a stream that still yields everything.</summary>
    public static async Task<(PrefixedStream Stream, ReadOnlyMemory<byte> Head)> PeekAsync(Stream inner, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var read = await inner.ReadAtLeastAsync(buffer, count, throwOnEndOfStream: false, cancellationToken);
        var head = buffer.AsMemory(0, read);
        return (new PrefixedStream(head, inner), head);
    }

    /// <summary>The same, for callers that are not asynchronous.</summary>
    public static (PrefixedStream Stream, ReadOnlyMemory<byte> Head) Peek(Stream inner, int count)
    {
        var buffer = new byte[count];
        var read = inner.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        var head = buffer.AsMemory(0, read);
        return (new PrefixedStream(head, inner), head);
    }

    public override int Read(Span<byte> buffer)
    {
        if (!_prefix.IsEmpty)
        {
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }
        return inner.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _prefix.IsEmpty ? inner.ReadAsync(buffer, cancellationToken) : ValueTask.FromResult(Read(buffer.Span));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
