namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>
/// One export through the app's own pipeline (database → writer → compression → file), run twice in one
/// fresh app process: <see cref="Seconds"/> is the first export after start-up, <see cref="SteadySeconds"/>
/// the same export again, and the peak memory is the process's over both.
/// </summary>
internal sealed record PipelineRun(string Format, string Compression, int? Level, long OriginalBytes, long StoredBytes, double Seconds, double SteadySeconds, long PeakMemoryBytes)
{
    public double ThroughputMBps => OriginalBytes / 1e6 / Seconds;
    public double SteadyThroughputMBps => OriginalBytes / 1e6 / SteadySeconds;
    public double Ratio => StoredBytes == 0 ? 1 : (double)OriginalBytes / StoredBytes;
}

/// <summary>One codec compressing the same uncompressed export file: ExportStudio's or a standard tool's.</summary>
internal sealed record CodecRun(string Name, string Side, long OriginalBytes, long StoredBytes, double Seconds)
{
    public double ThroughputMBps => OriginalBytes / 1e6 / Seconds;
    public double Ratio => StoredBytes == 0 ? 1 : (double)OriginalBytes / StoredBytes;
}

/// <summary>Decompression throughput: the app's <c>decompress=true</c> download against <c>zstd -d</c>.</summary>
internal sealed record DecompressRun(string Name, long OriginalBytes, double Seconds)
{
    public double ThroughputMBps => OriginalBytes / 1e6 / Seconds;
}

internal sealed record DataSetResults(
    int Megabytes,
    int Sessions,
    long JsonBytes,
    IReadOnlyList<PipelineRun> Pipeline,
    IReadOnlyList<CodecRun> Codecs,
    IReadOnlyList<DecompressRun> Decompress);
