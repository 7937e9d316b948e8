namespace ExportStudio.Core.Compression;

public enum CompressionPhase
{
    /// <summary>Content is being produced (and, for zstd and plain files, compressed as it flows).</summary>
    Writing,

    /// <summary>Tar formats only: spooled entries are being framed and compressed.</summary>
    Compressing,
}

/// <summary>
/// Live counters a codec updates as data flows and another thread may read at any time (the export
/// pipeline samples them ten times a second for progress).
/// </summary>
public sealed class CompressionCounters
{
    private long _bytesIn;
    private long _bytesOut;
    private long _spooledBytes;
    private long _compressedInputBytes;
    private int _phase;

    /// <summary>Original bytes produced so far.</summary>
    public long BytesIn => Volatile.Read(ref _bytesIn);

    /// <summary>Stored bytes written so far.</summary>
    public long BytesOut => Volatile.Read(ref _bytesOut);

    public CompressionPhase Phase => (CompressionPhase)Volatile.Read(ref _phase);

    /// <summary>In the compressing phase of a tar format: how much of the spooled content has been compressed, 0 to 1.</summary>
    public double CompressedFraction
    {
        get
        {
            var total = Volatile.Read(ref _spooledBytes);
            return total <= 0 ? 0 : Math.Clamp((double)Volatile.Read(ref _compressedInputBytes) / total, 0, 1);
        }
    }

    internal void AddIn(long bytes) => Interlocked.Add(ref _bytesIn, bytes);

    internal void AddOut(long bytes) => Interlocked.Add(ref _bytesOut, bytes);

    internal void StartCompressing(long spooledBytes)
    {
        Volatile.Write(ref _spooledBytes, spooledBytes);
        Volatile.Write(ref _phase, (int)CompressionPhase.Compressing);
    }

    internal void AddCompressedInput(long bytes) => Interlocked.Add(ref _compressedInputBytes, bytes);
}
