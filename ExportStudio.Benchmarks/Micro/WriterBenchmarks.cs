using BenchmarkDotNet.Attributes;

namespace ExportStudio.Benchmarks.Micro;

/// <summary>Each format writer over 2,000 generated sessions (≈12 MB of JSON), to a null stream.</summary>
[MemoryDiagnoser]
public class WriterBenchmarks
{
    private List<SessionRecord> _sessions = [];

    [Params(ExportFormat.Json, ExportFormat.JsonLines, ExportFormat.Csv, ExportFormat.Markdown)]
    public ExportFormat Format { get; set; }

    [GlobalSetup]
    public void Setup() => _sessions = SampleSessions.Create(2_000);

    [Benchmark]
    public async Task Write()
    {
        await using var writer = ExportWriter.Create(Format, Stream.Null, new ExportOptions());
        await writer.WriteHeaderAsync(new ExportDocumentHeader { ExportedAt = DateTime.UtcNow, SessionCount = _sessions.Count });
        foreach (var session in _sessions)
        {
            await writer.WriteSessionAsync(session);
        }
        await writer.WriteFooterAsync();
    }
}
