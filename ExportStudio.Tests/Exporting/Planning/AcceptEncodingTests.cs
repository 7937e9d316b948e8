
namespace ExportStudio.Tests.Exporting.Planning;

/// <summary>The one reading of Accept-Encoding, shared by the recommendation and the downloads.</summary>
public sealed class AcceptEncodingTests
{
    [Theory]
    [InlineData("gzip, deflate, br, zstd", true)]
    [InlineData("ZSTD", true)]
    [InlineData("zstd;q=0.5, gzip", true)]
    [InlineData("zstd;q=0", false)]
    [InlineData("zstd; q=0.0, gzip", false)]
    [InlineData("gzip, br", false)]
    [InlineData("*", true)]
    [InlineData("*;q=0.2, zstd;q=0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Zstd_is_accepted_only_when_listed_with_a_quality_above_zero(string? header, bool accepted)
    {
        Assert.Equal(accepted, AcceptEncoding.Allows(header, "zstd"));
        Assert.Equal(accepted, ClientEnvironment.From("Mozilla/5.0 (X11; Linux x86_64)", header).AcceptsZstd);
    }
}
