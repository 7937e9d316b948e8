
namespace ExportStudio.Tests.Storage;

/// <summary>The one rule of which downloads a job offers, which the API links, the endpoint and the buttons all read.</summary>
public sealed class JobDownloadsTests
{
    private static readonly Guid Id = Guid.Parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");

    [Theory]
    [InlineData(CompressionFormat.None, null, null)]
    [InlineData(CompressionFormat.Tar, null, null)]
    [InlineData(CompressionFormat.Zstd, "export_3f2504e0-4f89-41d3-9a0c-0305e82c3301.json", "application/json")]
    [InlineData(CompressionFormat.TarZst, "export_3f2504e0-4f89-41d3-9a0c-0305e82c3301.json.tar", "application/x-tar")]
    [InlineData(CompressionFormat.TarGz, "export_3f2504e0-4f89-41d3-9a0c-0305e82c3301.json.tar", "application/x-tar")]
    public void Only_a_file_with_a_compression_layer_offers_its_decompressed_bytes(CompressionFormat compression, string? name, string? type)
    {
        var downloads = ExportFiles.Downloads(Id, [ExportFormat.Json], compression);

        Assert.Equal(ExportFiles.FileName(Id, [ExportFormat.Json], compression), downloads.Stored.FileName);
        Assert.Equal(name, downloads.Decompressed?.FileName);
        Assert.Equal(type, downloads.Decompressed?.ContentType);
        Assert.Equal(downloads.Decompressed ?? downloads.Stored, downloads.ForDecompressRequest);
    }

    [Theory]
    [InlineData(CompressionFormat.Zstd, true)]
    [InlineData(CompressionFormat.TarZst, true)]
    [InlineData(CompressionFormat.TarGz, false)]
    [InlineData(CompressionFormat.Tar, false)]
    [InlineData(CompressionFormat.None, false)]
    public void The_pages_offer_an_original_only_for_zstd_which_needs_a_tool(CompressionFormat compression, bool offered)
    {
        var downloads = ExportFiles.Downloads(Id, [ExportFormat.Json], compression);

        Assert.Equal(offered, downloads.OriginalButton is not null);
        Assert.Equal(offered, downloads.BrowserCanDecode);
    }

    [Theory]
    [InlineData(new[] { ExportFormat.JsonLines }, CompressionFormat.TarZst, ".jsonl.tar.zst")]
    [InlineData(new[] { ExportFormat.JsonLines }, CompressionFormat.TarGz, ".jsonl.tar.gz")]
    [InlineData(new[] { ExportFormat.JsonLines }, CompressionFormat.Tar, ".jsonl.tar")]
    [InlineData(new[] { ExportFormat.Csv }, CompressionFormat.Zstd, ".csv.zst")]
    [InlineData(new[] { ExportFormat.Markdown }, CompressionFormat.None, ".md")]
    [InlineData(new[] { ExportFormat.Json, ExportFormat.Csv }, CompressionFormat.TarZst, ".tar.zst")]
    [InlineData(new[] { ExportFormat.Json, ExportFormat.Csv }, CompressionFormat.TarGz, ".tar.gz")]
    [InlineData(new[] { ExportFormat.Json, ExportFormat.Csv }, CompressionFormat.Tar, ".tar")]
    public void File_names_follow_one_rule_the_formats_extension_then_the_containers(ExportFormat[] formats, CompressionFormat compression, string suffix)
    {
        var name = ExportFiles.FileName(Id, formats, compression);

        Assert.Equal($"export_{Id}{suffix}", name);
        Assert.True(ExportFileNames.IsExportFile(name));
    }
}
