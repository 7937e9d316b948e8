using System.Security.Cryptography;

namespace ExportStudio.Core.Compression.Streams;

/// <summary>
/// A write-only pass-through that counts bytes (and optionally hashes them with SHA-256) on their way to
/// the inner stream: compression streams cannot report their own length, so this is how sizes are known.
/// </summary>
internal sealed class CountingWriteStream(Stream inner, Action<long>? onWrite = null, bool hash = false, bool leaveOpen = true) : WriteOnlyStream
{
    private readonly IncrementalHash? _hash = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

    public long BytesWritten { get; private set; }

    public override long Length => BytesWritten;
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }

    /// <summary>Lower-case hex SHA-256 of everything written; call once, after the last write.</summary>
    public string GetSha256() => Convert.ToHexStringLower((_hash ?? throw new InvalidOperationException("Not hashing.")).GetHashAndReset());

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Count(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        Count(buffer.Span);
    }

    private void Count(ReadOnlySpan<byte> buffer)
    {
        _hash?.AppendData(buffer);
        BytesWritten += buffer.Length;
        onWrite?.Invoke(buffer.Length);
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash?.Dispose();
            if (!leaveOpen)
            {
                inner.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
