using System.Diagnostics;
using System.Globalization;
using System.Text;
using ExportStudio.Core.Compression.Archives;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>
/// <c>dictionary [--megabytes N]</c>: many small sessions of realistic text, exported through the real
/// pipeline per session with zstd, without and with a dictionary, and as one solid tar.zst; then the zstd
/// CLI's own <c>zstd --train</c> and <c>zstd -D</c> on the very same session files. Sizes count what
/// holds the sessions: the frames, plus the dictionary where there is one (tar headers and the manifest
/// are reported apart, as the CLI makes no archive).
/// </summary>
internal sealed class DictionaryBenchmark(string dataDirectory)
{
    private const int Level = 3;

    /// <summary>Every run is stamped with the same time, so each session's document is the same bytes in every run.</summary>
    private readonly DateTime _exportedAt = DateTime.UtcNow;

    public async Task<IReadOnlyList<DictionaryRun>> RunAsync(int megabytes)
    {
        Directory.CreateDirectory(dataDirectory);
        var database = Path.Combine(dataDirectory, $"realistic-{megabytes}mb.db");
        var factory = new PooledDbContextFactory<ExportStudioDbContext>(
            new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(database).Options);
        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(0);
        await using (var db = await factory.CreateDbContextAsync())
        {
            if (!await db.Sessions.AnyAsync())
            {
                Console.WriteLine($"Seeding {megabytes} MB of realistic sessions into {database}…");
                await DataSets.Realistic.SeedAsync(factory, megabytes * 1_000_000L);
            }
        }

        var work = Path.Combine(dataDirectory, $"dictionary-{megabytes}mb");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }
        Directory.CreateDirectory(work);
        var exports = Directory.CreateDirectory(Path.Combine(work, "exports")).FullName;
        var pipeline = new ExportPipeline(factory, new CompressionService(tempDirectory: work), new ExportFileStore(exports),
            Options.Create(new ExportStudioOptions { MaxExportBytes = long.MaxValue }));

        var runs = new List<DictionaryRun>();
        // Warm-up: the first run of each path pays for JIT (zstd's block compressors with and without a
        // dictionary are different code) and the page cache, as a server that has been running would not.
        foreach (var warm in new[] { true, false })
        {
            File.Delete(Path.Combine(exports, (await ExportAsync(pipeline, exports, ArchiveLayout.PerSession, CompressionFormat.Zstd, warm)).FileName));
        }
        File.Delete(Path.Combine(exports, (await ExportAsync(pipeline, exports, ArchiveLayout.Document, CompressionFormat.TarZst, false)).FileName));

        var (withoutDictionary, noDictionaryFile) = await ExportAsync(pipeline, exports, ArchiveLayout.PerSession, CompressionFormat.Zstd, dictionary: false);
        var (withDictionary, dictionaryFile) = await ExportAsync(pipeline, exports, ArchiveLayout.PerSession, CompressionFormat.Zstd, dictionary: true);
        var (solid, _) = await ExportAsync(pipeline, exports, ArchiveLayout.Document, CompressionFormat.TarZst, dictionary: false);
        var original = withoutDictionary.OriginalBytes;
        var sessions = withoutDictionary.Sessions;
        runs.Add(withoutDictionary with { Name = "ExportStudio per-session zstd -3, no dictionary" });
        runs.Add(withDictionary with { Name = "ExportStudio per-session zstd -3 + dictionary" });
        runs.Add(solid with { Name = "ExportStudio solid tar.zst -3 (document layout)" });

        // The CLI on the same files: the session documents of the archive without a dictionary, decompressed
        // (byte for byte what every per-session zstd export of this selection holds).
        var files = Directory.CreateDirectory(Path.Combine(work, "cli")).FullName;
        var sessionFiles = Path.Combine(files, "sessions");
        await ToolTimer.RunAsync($"tar -xf {ToolTimer.Quote(Path.Combine(exports, noDictionaryFile))} -C {ToolTimer.Quote(files)} && " +
                                 $"cd {ToolTimer.Quote(sessionFiles)} && zstd -q -d --rm *.json.zst");
        var ourDictionarySize = (int)withDictionary.DictionaryBytes;
        runs.Add(await CliAsync("zstd -3 (CLI), one file per session, no dictionary", sessionFiles, original, sessions, null));
        runs.Add(await CliAsync($"zstd --train (default, 110 KB) + zstd -3 -D (CLI)", sessionFiles, original, sessions, ""));
        runs.Add(await CliAsync($"zstd --train --maxdict={ourDictionarySize} + zstd -3 -D (CLI)", sessionFiles, original, sessions, $"--maxdict={ourDictionarySize}"));

        // Every frame ExportStudio wrote opens with the CLI and its dictionary: checked on the whole archive.
        var check = Directory.CreateDirectory(Path.Combine(work, "check")).FullName;
        await ToolTimer.RunAsync($"tar -xf {ToolTimer.Quote(Path.Combine(exports, dictionaryFile))} -C {ToolTimer.Quote(check)} && " +
                                 $"cd {ToolTimer.Quote(check)} && zstd -q -d -D dictionary.zdict sessions/*.zst && " +
                                 $"for f in sessions/*.json; do cmp -s \"$f\" {ToolTimer.Quote(sessionFiles)}/\"${{f#sessions/}}\" || {{ echo \"$f differs\" >&2; exit 1; }}; done");
        File.Delete(Path.Combine(exports, noDictionaryFile));
        Directory.Delete(work, recursive: true);
        return runs;
    }

    private async Task<(DictionaryRun Run, string FileName)> ExportAsync(ExportPipeline pipeline, string exports, ArchiveLayout layout, CompressionFormat compression, bool dictionary)
    {
        var request = new ExportRequest
        {
            Formats = [ExportFormat.Json],
            Options = new ExportOptions { CompressionFormat = compression, CompressionLevel = compression.GetLevelRange() is null ? null : Level, Layout = layout, Dictionary = dictionary },
        }.Normalize();
        var progress = new StageClock();
        var stopwatch = Stopwatch.StartNew();
        var result = await pipeline.RunAsync(new ExportRun(Guid.NewGuid(), 1, request, _exportedAt), progress, CancellationToken.None);
        stopwatch.Stop();
        var path = Path.Combine(exports, result.FileName);

        long payload = result.Stats.StoredBytes, dictionaryBytes = 0;
        if (layout == ArchiveLayout.PerSession)
        {
            var manifest = ReadManifest(path, compression);
            payload = manifest.Entries.Sum(e => e.StoredSize) + (manifest.Dictionary?.Size ?? 0);
            dictionaryBytes = manifest.Dictionary?.Size ?? 0;
        }
        var run = new DictionaryRun("", result.Selection.SessionCount, result.Stats.OriginalBytes, payload, result.Stats.StoredBytes, dictionaryBytes,
            stopwatch.Elapsed.TotalSeconds, progress.TrainingSeconds, result.FileName);
        Console.WriteLine($"  {layout.GetWireName(),-12} {compression.GetWireName(),-8} dictionary {dictionary,-5}  {run.OriginalBytes / 1e6,7:F1} MB → {run.PayloadBytes / 1e6,6:F2} MB  " +
                          $"ratio {run.Ratio,5:F2}  {run.MegabytesPerSecond,5:F0} MB/s  training {run.TrainingSeconds:F2} s");
        return (run, result.FileName);
    }

    /// <summary>The CLI on one file per session: optionally trains (with <paramref name="trainArguments"/>), then compresses every file with the dictionary.</summary>
    private static async Task<DictionaryRun> CliAsync(string name, string sessionFiles, long original, int sessions, string? trainArguments)
    {
        var dictionaryPath = Path.Combine(Path.GetDirectoryName(sessionFiles)!, "cli.zdict");
        var training = 0.0;
        var dictionaryOption = "";
        if (trainArguments is not null)
        {
            training = (await ToolTimer.RunAsync($"cd {ToolTimer.Quote(sessionFiles)} && zstd -q --train {trainArguments} *.json -o {ToolTimer.Quote(dictionaryPath)}")).TotalSeconds;
            dictionaryOption = $"-D {ToolTimer.Quote(dictionaryPath)}";
        }
        var seconds = (await ToolTimer.RunAsync($"cd {ToolTimer.Quote(sessionFiles)} && zstd -q -f -3 {dictionaryOption} *.json")).TotalSeconds;
        var frames = Directory.EnumerateFiles(sessionFiles, "*.zst").Sum(f => new FileInfo(f).Length);
        var dictionaryBytes = trainArguments is null ? 0 : new FileInfo(dictionaryPath).Length;
        foreach (var frame in Directory.EnumerateFiles(sessionFiles, "*.zst"))
        {
            File.Delete(frame);
        }
        var run = new DictionaryRun(name, sessions, original, frames + dictionaryBytes, null, dictionaryBytes, seconds + training, training, "");
        Console.WriteLine($"  {name,-60} {run.PayloadBytes / 1e6,6:F2} MB  ratio {run.Ratio,5:F2}  {run.MegabytesPerSecond,5:F0} MB/s  training {training:F2} s");
        return run;
    }

    private static SessionArchiveManifest ReadManifest(string path, CompressionFormat compression)
    {
        using var file = File.OpenRead(path);
        using var tar = compression == CompressionFormat.TarZst ? new ZstdSharp.DecompressionStream(file) : (Stream)file;
        var header = new byte[512];
        tar.ReadExactly(header);
        var size = Convert.ToInt64(Encoding.ASCII.GetString(header, 124, 11), 8);
        var manifest = new byte[size];
        tar.ReadExactly(manifest);
        return SessionArchiveManifest.Parse(manifest);
    }

    /// <summary>When the pipeline entered and left its training stage.</summary>
    private sealed class StageClock : IProgress<ExportPipelineProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private double? _trainingFrom;
        public double TrainingSeconds { get; private set; }

        public void Report(ExportPipelineProgress value)
        {
            if (value.Stage == ExportStage.Training)
            {
                _trainingFrom ??= _clock.Elapsed.TotalSeconds;
            }
            else if (_trainingFrom is { } from && TrainingSeconds == 0)
            {
                TrainingSeconds = _clock.Elapsed.TotalSeconds - from;
            }
        }
    }
}

/// <param name="PayloadBytes">What holds the sessions: the frames plus the dictionary (the whole file for the solid export).</param>
/// <param name="FileBytes">The archive as stored (with tar headers and the manifest); null for the CLI, which makes loose files.</param>
/// <param name="Seconds">From the start of the export (or of the CLI's training) to the last byte written.</param>
internal sealed record DictionaryRun(string Name, int Sessions, long OriginalBytes, long PayloadBytes, long? FileBytes, long DictionaryBytes,
    double Seconds, double TrainingSeconds, string FileName)
{
    public double Ratio => (double)OriginalBytes / PayloadBytes;
    public double MegabytesPerSecond => OriginalBytes / 1e6 / Seconds;
}

/// <summary>The dictionary section of docs/benchmarks.md, replaced in place between its markers.</summary>
internal static class DictionaryReport
{
    public static void Write(string docs, IReadOnlyList<DictionaryRun> runs, string machine, string command)
    {
        var first = runs[0];
        var text = new StringBuilder();
        text.AppendLine("## Dictionaries and per-session archives");
        text.AppendLine();
        text.AppendLine($"`{command}` — {first.Sessions:N0} realistic sessions ({first.OriginalBytes / 1e6:F1} MB of JSON, one document per session, " +
                        $"{first.OriginalBytes / first.Sessions / 1024.0:F1} KB on average), zstd level 3, one run. Machine: {machine}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end " +
                        "(shared with other work: MB/s are noisy, sizes exact).");
        text.AppendLine();
        text.AppendLine("Size is what holds the sessions: every frame, plus the dictionary where there is one; the archive column adds the tar headers and the manifest.");
        text.AppendLine();
        text.AppendLine("| run | size | ratio | archive as stored | dictionary | training | MB/s (whole run) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            text.AppendLine(
                $"| {run.Name} | {run.PayloadBytes:N0} | {run.Ratio:F2}× | {(run.FileBytes is { } f ? f.ToString("N0", CultureInfo.InvariantCulture) : "–")} | " +
                $"{(run.DictionaryBytes > 0 ? run.DictionaryBytes.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {(run.TrainingSeconds > 0 ? $"{run.TrainingSeconds:F2} s" : "–")} | {run.MegabytesPerSecond:F0} |");
        }
        var ours = runs[0].PayloadBytes / (double)runs[1].PayloadBytes;
        var cli = runs[3].PayloadBytes / (double)runs[4].PayloadBytes;
        var cliSameSize = runs[3].PayloadBytes / (double)runs[5].PayloadBytes;
        text.AppendLine();
        text.AppendLine(
            $"Gain of the dictionary (size without ÷ size with, dictionary included): ExportStudio **{ours:F2}×**, the CLI's `zstd --train` **{cli:F2}×** with its default 110 KB " +
            $"dictionary and **{cliSameSize:F2}×** with a dictionary as large as ExportStudio's. Every ExportStudio frame was decompressed with `zstd -D dictionary.zdict -d` and compared " +
            "byte for byte with the session's file.");
        MarkedSection.Write(Path.Combine(docs, "benchmarks.md"), "dictionary-benchmark", text.ToString().TrimEnd('\n'));
    }
}
