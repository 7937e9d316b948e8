namespace ExportStudio.Core.Compression;

/// <summary>What one compressed output holds; every figure equals what is on disk.</summary>
public sealed record CompressionStats(long OriginalBytes, long StoredBytes, string Sha256)
{
    public double SavingsPercent => Savings.Percent(OriginalBytes, StoredBytes);
}

/// <summary>The one rule for how much compression saved, used by the job resource, progress, estimates and the pages.</summary>
public static class Savings
{
    /// <summary>
    /// Percent of the original saved, to one decimal: 0 while there is nothing to compare (no input yet, or
    /// nothing stored yet), negative when framing outweighs the gain (a 1-byte file in a tar), so the figure
    /// never hides a cost and never divides by zero.
    /// </summary>
    public static double Percent(long original, long stored) =>
        original <= 0 || stored <= 0 ? 0 : Math.Round((1 - (double)stored / original) * 100, 1);

    /// <summary>Original over stored, to three decimals; 1 when either is zero.</summary>
    public static double Ratio(long original, long stored) =>
        original <= 0 || stored <= 0 ? 1 : Math.Round((double)original / stored, 3);
}
