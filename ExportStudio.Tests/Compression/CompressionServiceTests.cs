using System.Security.Cryptography;

namespace ExportStudio.Tests.Compression;

/// <summary>Every format, at its lowest, default and highest level, checked in-process and with the real tools.</summary>
public sealed class CompressionServiceTests : IDisposable
{
    private static readonly DateTime ExportTime = new(2026, 11, 24, 12, 30, 0, DateTimeKind.Utc);
    private readonly TempDirectory _directory = new();
    private readonly CompressionService _service;

    public CompressionServiceTests() => _service = new CompressionService(zstdWorkers: 2, gzipWorkers: 2, tempDirectory: Directory.CreateDirectory(Path.Combine(_directory.Path, "spool")).FullName);

    public static TheoryData<CompressionFormat, int?, string> Cases()
    {
        var data = new TheoryData<CompressionFormat, int?, string>();
        foreach (var format in CompressionFormatFacts.All)
        {
            var range = format.GetLevelRange();
            int?[] levels = range is null ? [null] : [range.Min, range.Default, range.Max];
            foreach (var level in levels)
            {
                foreach (var input in new[] { "empty", "one-byte", "text-1mb" })
                {
                    data.Add(format, level, input);
                }
            }
            // The large mixed input at the default level only: level 22 on 12 MB takes most of a minute.
            data.Add(format, range?.Default, "mixed-12mb");
        }
        return data;
    }

    private static byte[] Input(string name) => name switch
    {
        "empty" => [],
        "one-byte" => "x"u8.ToArray(),
        "text-1mb" => SampleData.Text(1 << 20),
        "mixed-12mb" => SampleData.MixedSessions(12 << 20),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_output_gives_back_the_original_bytes_in_process_and_with_the_standard_tools(CompressionFormat format, int? level, string inputName)
    {
        var input = Input(inputName);
        var path = _directory.Combine($"out-{format}-{level}-{inputName}");
        CompressionStats stats;
        await using (var file = File.Create(path))
        {
            stats = await _service.CompressAsync(file, format, level, [Entry("export_1.json", input)], ExportTime);
        }

        // Stats equal what is on disk, byte for byte.
        var stored = await File.ReadAllBytesAsync(path);
        Assert.Equal(stored.Length, stats.StoredBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stored)), stats.Sha256);
        Assert.Equal(input.Length, stats.OriginalBytes);
        Assert.Equal(input.Length == 0 ? 0 : Math.Round((1 - (double)stored.Length / input.Length) * 100, 1), stats.SavingsPercent);

        // In-process: the reader gives back what was written (the tar for tar formats).
        await using (var content = CompressedFileReader.OpenContent(File.OpenRead(path), long.MaxValue))
        {
            var decoded = await ReadAllAsync(content);
            if (format.IsArchive())
            {
                var entries = await ReadTarAsync(decoded);
                Assert.Equal(input, Assert.Single(entries).Value);
            }
            else
            {
                Assert.Equal(input, decoded);
            }
        }

        // With the real tools.
        var extracted = await ExtractWithToolsAsync(format, path);
        Assert.Equal(input, extracted);
    }

    private async Task<byte[]> ExtractWithToolsAsync(CompressionFormat format, string path)
    {
        var output = Directory.CreateDirectory(_directory.Combine("x-" + Path.GetFileName(path))).FullName;
        switch (format)
        {
            case CompressionFormat.None:
                return await File.ReadAllBytesAsync(path);
            case CompressionFormat.Zstd:
                await ExternalTool.RunAsync("zstd", ["-t", "-q", path]);
                await ExternalTool.RunAsync("zstd", ["-d", "-q", "-f", path, "-o", Path.Combine(output, "export_1.json")]);
                break;
            case CompressionFormat.TarGz:
                await ExternalTool.RunAsync("gzip", ["-t", path]);
                await ExternalTool.RunAsync("tar", ["-tzf", path]);
                await ExternalTool.RunAsync("tar", ["-xzf", path, "-C", output]);
                break;
            case CompressionFormat.TarZst:
                await ExternalTool.RunAsync("zstd", ["-t", "-q", path]);
                await ExternalTool.RunAsync("tar", ["--zstd", "-xf", path, "-C", output]);
                break;
            case CompressionFormat.Tar:
                await ExternalTool.RunAsync("tar", ["-xf", path, "-C", output]);
                break;
        }
        return await File.ReadAllBytesAsync(Path.Combine(output, "export_1.json"));
    }

    [Fact]
    public async Task Tar_entries_carry_their_names_mode_0644_and_the_export_time()
    {
        var path = _directory.Combine("bundle.tar.gz");
        await using (var file = File.Create(path))
        {
            await _service.CompressAsync(file, CompressionFormat.TarGz, 6,
                [Entry("export_a.json", "{}"u8.ToArray()), Entry("export_a.csv", "a,b\r\n"u8.ToArray()), Entry("export_a.md", "# x\n"u8.ToArray())], ExportTime);
        }

        var listing = await ExternalTool.RunAsync("tar", ["--utc", "-tvzf", path]);
        var lines = listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("-rw-r--r--", line));
        Assert.All(lines, line => Assert.Contains("2026-11-24 12:30", line));
        Assert.Equal(["export_a.json", "export_a.csv", "export_a.md"], lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]));
    }

    [Theory]
    [InlineData(CompressionFormat.Zstd, 0, "allowed levels are 1-22")]
    [InlineData(CompressionFormat.Zstd, 23, "allowed levels are 1-22")]
    [InlineData(CompressionFormat.TarZst, -1, "allowed levels are 1-22")]
    [InlineData(CompressionFormat.TarGz, 10, "allowed levels are 1-9")]
    [InlineData(CompressionFormat.TarGz, 0, "allowed levels are 1-9")]
    public async Task A_level_outside_the_range_is_refused_naming_the_range_never_clamped(CompressionFormat format, int level, string expected)
    {
        var exception = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            _service.CompressAsync(Stream.Null, format, level, [Entry("x.json", [1])], ExportTime));

        Assert.Contains(expected, exception.Message);
        Assert.Contains($"Compression level {level} is out of range for {format.GetWireName()}", exception.Message);
    }

    [Fact]
    public async Task Single_file_formats_refuse_several_entries()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() =>
            _service.CompressAsync(Stream.Null, CompressionFormat.Zstd, 3, [Entry("a.json", [1]), Entry("a.csv", [2])], ExportTime));

        Assert.Contains("several formats need tar, tar.gz or tar.zst", exception.Message);
    }

    [Fact]
    public async Task Live_counters_follow_the_data_and_end_equal_to_the_stats()
    {
        var counters = new CompressionCounters();
        var input = SampleData.MixedSessions(3 << 20);
        await using var file = File.Create(_directory.Combine("counted.tar.zst"));

        var stats = await _service.CompressAsync(file, CompressionFormat.TarZst, 3, [Entry("e.json", input)], ExportTime, counters);

        Assert.Equal(stats.OriginalBytes, counters.BytesIn);
        Assert.Equal(stats.StoredBytes, counters.BytesOut);
        Assert.Equal(CompressionPhase.Compressing, counters.Phase);
        Assert.Equal(1, counters.CompressedFraction);
    }

    [Theory]
    [InlineData(CompressionFormat.TarGz)]
    [InlineData(CompressionFormat.TarZst)]
    [InlineData(CompressionFormat.Tar)]
    public async Task Spool_files_are_deleted_after_success_failure_and_cancellation(CompressionFormat format)
    {
        var spool = Path.Combine(_directory.Path, "spool");

        await _service.CompressAsync(Stream.Null, format, null, [Entry("ok.json", SampleData.Text(100_000))], ExportTime);
        Assert.Empty(Directory.EnumerateFiles(spool));

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var output = _service.Open(Stream.Null, format, null, ExportTime);
            await (await output.OpenEntryAsync("ok.json")).WriteAsync(new byte[] { 1 });
            await (await output.OpenEntryAsync("bad.json")).WriteAsync(SampleData.Text(50_000));
            throw new InvalidOperationException("the writer failed");
        });
        Assert.Empty(Directory.EnumerateFiles(spool));

        using var cancellation = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await using var output = _service.Open(Stream.Null, format, null, ExportTime);
            var entry = await output.OpenEntryAsync("slow.json", cancellation.Token);
            await entry.WriteAsync(SampleData.Text(50_000), cancellation.Token);
            await cancellation.CancelAsync();
            await entry.WriteAsync(SampleData.Text(50_000), cancellation.Token);
            await output.CompleteAsync(cancellation.Token);
        });
        Assert.Empty(Directory.EnumerateFiles(spool));
    }

    private static CompressionSource Entry(string name, byte[] content) => new(name, new MemoryStream(content, writable: false));

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static async Task<Dictionary<string, byte[]>> ReadTarAsync(byte[] tar)
    {
        var entries = new Dictionary<string, byte[]>();
        await foreach (var entry in TarEntryReader.ReadEntriesAsync(new MemoryStream(tar)))
        {
            entries[entry.Name] = await ReadAllAsync(entry.Content);
        }
        return entries;
    }

    public void Dispose() => _directory.Dispose();
}
