
namespace ExportStudio.Tests.Exporting;

/// <summary>The one place requests are normalised: several formats always make one archive.</summary>
public sealed class ExportRequestTests
{
    [Theory]
    [InlineData(CompressionFormat.None, false, CompressionFormat.None)]
    [InlineData(CompressionFormat.None, true, CompressionFormat.Tar)]
    [InlineData(CompressionFormat.Zstd, false, CompressionFormat.Zstd)]
    [InlineData(CompressionFormat.Zstd, true, CompressionFormat.TarZst)]
    [InlineData(CompressionFormat.TarGz, true, CompressionFormat.TarGz)]
    [InlineData(CompressionFormat.TarGz, false, CompressionFormat.TarGz)]
    public void A_bundle_runs_as_an_archive_and_a_single_format_as_chosen(CompressionFormat chosen, bool bundle, CompressionFormat runs)
    {
        var request = new ExportRequest
        {
            Formats = bundle ? [ExportFormat.Json, ExportFormat.Csv] : [ExportFormat.Json],
            Options = new ExportOptions { CompressionFormat = chosen },
        };

        Assert.Equal(runs, ExportRequest.RunsAs(chosen, bundle));
        Assert.Equal(runs, request.Normalize().Options.CompressionFormat);
        Assert.Equal(runs.GetLevelRange()?.Default, request.Normalize().Options.CompressionLevel);
    }
}
