using System.Diagnostics;
using System.Net.Http.Headers;
using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>One file imported into an empty database by a fresh app: what the app answered, how long the request took, the process's peak memory.</summary>
internal sealed record ImportRun(string File, long Bytes, int Sessions, int Messages, double Seconds, long PeakMemoryBytes)
{
    public double MBps => Bytes / 1e6 / Seconds;
}

/// <summary>A foreign source's import and, for comparison, the import of the same sessions as the app's own JSON export.</summary>
internal sealed record ImportSourceResults(string Source, ImportRun Foreign, ImportRun Native);

/// <summary>
/// Imports a large ChatGPT- or Claude-shaped conversations.json through <c>POST /api/v1/import</c> into a
/// fresh published app on an empty database, then exports what it imported as ExportStudio JSON and imports
/// that into another fresh app: the native format's figure on the same sessions, so the row shows what the
/// foreign shape costs. Each import gets its own process, so its peak RSS (VmHWM) is the import's alone.
/// </summary>
internal sealed class ImportSourcesBenchmark(string dataDirectory, string? appDirectory)
{
    private TextCorpus? _corpus;

    public async Task<ImportSourceResults> RunAsync(ForeignSource source, int megabytes)
    {
        var directory = Path.Combine(dataDirectory, $"import-sources-{megabytes}mb");
        Directory.CreateDirectory(directory);
        var name = source == ForeignSource.ChatGpt ? "chatgpt" : "claude";
        var file = Path.Combine(directory, $"{name}-conversations.json");
        if (!File.Exists(file))
        {
            Console.WriteLine($"Writing a {megabytes} MB {name} conversations.json to {file}…");
            var stopwatch = Stopwatch.StartNew();
            var (conversations, bytes) = ForeignExportWriter.Write(source, Corpus(), file, megabytes * 1_000_000L);
            Console.WriteLine($"  {conversations:N0} conversations, {bytes / 1e6:F0} MB in {stopwatch.Elapsed.TotalSeconds:F0} s");
        }

        var work = Path.Combine(directory, name);
        TargetBenchmark.Recreate(work);
        var exports = Path.Combine(work, "exports");
        Directory.CreateDirectory(exports);
        ImportRun foreign;
        string nativeFile;
        await using (var app = await AppProcess.StartAsync(Path.Combine(work, "foreign.db"), exports, TargetBenchmark.Settings, appDirectory: appDirectory))
        {
            using var client = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromMinutes(30) };
            foreign = await ImportAsync(client, app, file, $"{name} conversations.json");
            // Exported after the import's peak was read, so the export's memory is not counted against the import.
            var (job, _) = await TargetBenchmark.ExportAsync(client, "none");
            nativeFile = Path.Combine(exports, job.GetProperty("fileInfo").GetProperty("fileName").GetString()!);
        }

        ImportRun native;
        var nativeExports = Path.Combine(work, "native-exports");
        Directory.CreateDirectory(nativeExports);
        await using (var app = await AppProcess.StartAsync(Path.Combine(work, "native.db"), nativeExports, TargetBenchmark.Settings, appDirectory: appDirectory))
        {
            using var client = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromMinutes(30) };
            native = await ImportAsync(client, app, nativeFile, "the same sessions as ExportStudio JSON");
        }
        // The databases and the export are rebuilt on every run; only the generated source file is worth keeping.
        Directory.Delete(work, recursive: true);
        return new ImportSourceResults(name, foreign, native);
    }

    /// <summary>The file imported through the API (<see cref="TimedImport"/>), with the app's peak memory.</summary>
    private static async Task<ImportRun> ImportAsync(HttpClient client, AppProcess app, string file, string label)
    {
        var (seconds, body) = await TimedImport.PostAsync(client, file);
        var peak = app.PeakMemoryBytes();
        var result = JsonDocument.Parse(body).RootElement;
        var run = new ImportRun(label, new FileInfo(file).Length, result.GetProperty("imported").GetInt32(), result.GetProperty("messages").GetInt32(),
            seconds, peak);
        Console.WriteLine($"  {label}: {run.Bytes / 1e6:F0} MB, {run.Sessions:N0} sessions, {run.Messages:N0} messages in {run.Seconds:F1} s " +
                          $"({run.MBps:F1} MB/s), peak RSS {peak / 1e6:F0} MB — {body}");
        return run;
    }

    // Read once for both sources; only when a file has to be generated.
    private TextCorpus Corpus()
    {
        if (_corpus is null)
        {
            var sources = CorpusSource.Defaults();
            if (CorpusLoader.MissingSources(sources) is { } missing)
            {
                throw new InvalidOperationException(missing);
            }
            _corpus = CorpusLoader.Load(sources);
        }
        return _corpus;
    }
}
