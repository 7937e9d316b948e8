namespace ExportStudio.Core.Compression;

/// <summary>What one compressed output holds; every figure equals what is on disk.</summary>
public sealed record CompressionStats(long OriginalBytes, long StoredBytes, string Sha256, TimeSpan Duration)
{
    /// <summary>Original over stored; 1 when nothing was stored, never a division by zero.</summary>
    public double Ratio => StoredBytes == 0 ? 1 : Math.Round((double)OriginalBytes / StoredBytes, 3);

    /// <summary>
    /// Percent of the original saved: 0 for an empty input, negative when framing outweighs the gain
    /// (a 1-byte file in a tar), so the figure never hides a cost.
    /// </summary>
    public double SavingsPercent => OriginalBytes == 0 ? 0 : Math.Round((1 - (double)StoredBytes / OriginalBytes) * 100, 1);
}
