using BenchmarkDotNet.Attributes;

namespace ExportStudio.Benchmarks.Micro;

/// <summary>Each codec at its default level over the same ≈12 MB JSON document, to a null stream.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly CompressionService _service = new();
    private byte[] _document = [];

    [Params(CompressionFormat.None, CompressionFormat.Zstd, CompressionFormat.TarGz, CompressionFormat.TarZst, CompressionFormat.Tar)]
    public CompressionFormat Format { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        using var buffer = new MemoryStream();
        await using (var writer = ExportWriter.Create(ExportFormat.Json, buffer, new ExportOptions()))
        {
            await writer.WriteHeaderAsync(new ExportDocumentHeader { ExportedAt = DateTime.UtcNow });
            foreach (var session in SampleSessions.Create(2_000))
            {
                await writer.WriteSessionAsync(session);
            }
            await writer.WriteFooterAsync();
        }
        _document = buffer.ToArray();
    }

    [Benchmark]
    public Task<CompressionStats> Compress() =>
        _service.CompressAsync(Stream.Null, Format, null, [new CompressionSource("export.json", new MemoryStream(_document, writable: false))], DateTime.UtcNow);
}
