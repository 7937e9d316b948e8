namespace ExportStudio.Core.Compression.Streams;

/// <summary>
/// Counts what is read through it and refuses to read past a limit: uploads, decompressed content and tar
/// archives all need to know how much came through, and the first two must stop a bomb while reading.
/// </summary>
/// <param name="limitExceeded">The exception to throw past <paramref name="limit"/>; a <see cref="ReadLimitExceededException"/> by default.</param>
public sealed class CountingReadStream(Stream inner, long limit = long.MaxValue, Func<long, Exception>? limitExceeded = null, bool leaveOpen = true) : ReadOnlyStream
{
    public long BytesRead { get; private set; }

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > limit)
        {
            throw limitExceeded?.Invoke(limit) ?? new ReadLimitExceededException(limit);
        }
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>More bytes came through a <see cref="CountingReadStream"/> than its limit allows.</summary>
public sealed class ReadLimitExceededException(long limit) : IOException($"More than {limit:N0} bytes were sent.")
{
    public long Limit { get; } = limit;
}
