using System.Diagnostics;
using Xunit.Abstractions;

namespace ExportStudio.Tests.Reliability;

/// <summary>A large import into the real app process while an export runs and new exports are asked for: nobody waits more than a moment.</summary>
public sealed class ImportConcurrencyTests(FortyMegabyteDatabase data, ITestOutputHelper output) : IClassFixture<FortyMegabyteDatabase>
{
    [Fact]
    public async Task A_large_import_blocks_neither_a_running_export_nor_new_ones()
    {
        using var state = new TempDirectory();
        var (database, exports) = (data.CopyTo(state.Combine("db")), state.Combine("exports"));
        var file = await SampleDocuments.WriteAsync(ExportFormat.JsonLines, new ExportOptions(), new DemoDataGenerator(seed: 4242).Generate(4_000).ToList());
        await using var app = await AppProcess.StartAsync(database, exports);
        using var client = app.CreateClient();
        var running = await client.CreateExportAsync(new { formats = new[] { "json", "csv" }, options = new { compressionFormat = "tar.gz", compressionLevel = 9 } });

        var importing = Stopwatch.StartNew();
        var (response, latencies) = await ImportWhileAskingForExportsAsync(client, client, file, TimeSpan.FromMilliseconds(200));
        using var imported = response;
        var took = importing.Elapsed;
        var result = await imported.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(4_000, result.GetProperty("imported").GetInt32());
        output.WriteLine(string.Join('\n', app.Output.Split('\n').Where(l => l.Contains("applied", StringComparison.Ordinal))));
        output.WriteLine(string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:F0}")));
        Assert.NotEmpty(latencies);
        Assert.True(latencies.Max() < TimeSpan.FromSeconds(5), $"an export request waited {latencies.Max().TotalSeconds:F1} s");
        var done = await client.WaitForExportAsync(running, TimeSpan.FromMinutes(5));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        output.WriteLine($"import of {file.Length / 1e6:F0} MB took {took.TotalSeconds:F1} s; {latencies.Count} export requests meanwhile, slowest {latencies.Max().TotalMilliseconds:F0} ms, median {latencies.Order().ElementAt(latencies.Count / 2).TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_large_import_in_one_instance_blocks_no_writer_of_another()
    {
        using var state = new TempDirectory();
        var (database, exports) = (data.CopyTo(state.Combine("db")), state.Combine("exports"));
        var file = await SampleDocuments.WriteAsync(ExportFormat.JsonLines, new ExportOptions(), new DemoDataGenerator(seed: 4343).Generate(12_000).ToList());
        await using var importing = await AppProcess.StartAsync(database, exports);
        await using var other = await AppProcess.StartAsync(database, exports);
        using var importer = importing.CreateClient();
        using var client = other.CreateClient();

        var (response, latencies) = await ImportWhileAskingForExportsAsync(importer, client, file, TimeSpan.FromMilliseconds(100));
        using var imported = response;

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        output.WriteLine(string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:F0}")));
        Assert.NotEmpty(latencies);
        // The other instance's writers cannot say they wait; a full transaction of the import lasts a second at most.
        Assert.True(latencies.Max() < TimeSpan.FromSeconds(5), $"an export request to the other instance waited {latencies.Max().TotalSeconds:F1} s");
    }

    /// <summary>Posts <paramref name="file"/> as an import and, until it is answered, asks <paramref name="asked"/> for an export after every pause: each must be accepted.</summary>
    private static async Task<(HttpResponseMessage Imported, List<TimeSpan> Latencies)> ImportWhileAskingForExportsAsync(HttpClient importer, HttpClient asked, byte[] file, TimeSpan pause)
    {
        var import = importer.PostAsync("/api/v1/import", new ByteArrayContent(file) { Headers = { ContentType = new("application/x-ndjson") } });
        var latencies = new List<TimeSpan>();
        while (!import.IsCompleted)
        {
            var asking = Stopwatch.StartNew();
            using var created = await asked.PostAsJsonAsync("/api/v1/export", new { format = "csv", filters = new { search = "kyoto" } });
            latencies.Add(asking.Elapsed);
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            await Task.Delay(pause);
        }
        return (await import, latencies);
    }
}
