
namespace ExportStudio.Tests.Compression;

/// <summary>One savings rule for the job resource, the progress, the estimate and the pages.</summary>
public sealed class SavingsTests
{
    [Theory]
    [InlineData(1000, 130, 87.0)]
    [InlineData(1, 512, -51100.0)]
    [InlineData(0, 100, 0)]
    [InlineData(1000, 0, 0)]
    [InlineData(3, 2, 33.3)]
    public void Savings_are_a_percent_of_the_original_never_a_division_by_zero(long original, long stored, double percent)
    {
        Assert.Equal(percent, Savings.Percent(original, stored));
        Assert.Equal(percent, new CompressionStats(original, stored, "").SavingsPercent);
    }
}
