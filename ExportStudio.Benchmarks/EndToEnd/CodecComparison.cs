using System.Diagnostics;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>
/// ExportStudio's codecs and the standard tools on the same uncompressed export file, file → file, best of
/// three runs each after one uncounted warm-up run (ExportStudio's codecs then run compiled code, as in a
/// server that has been running; the tools start with the same warm page cache).
/// </summary>
internal sealed class CodecComparison(string workDirectory)
{
    private const int Repeats = 3;

    public async Task<IReadOnlyList<CodecRun>> RunAsync(string input, bool includeSlowLevels)
    {
        var original = new FileInfo(input).Length;
        var runs = new List<CodecRun>();
        var service = new CompressionService(tempDirectory: workDirectory);
        var output = Path.Combine(workDirectory, "codec-output");

        async Task Ours(string name, CompressionFormat format, int level)
        {
            var best = double.MaxValue;
            long stored = 0;
            for (var i = 0; i <= Repeats; i++)
            {
                await using var destination = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
                await using var source = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
                var stopwatch = Stopwatch.StartNew();
                var stats = await service.CompressAsync(destination, format, level, [new CompressionSource(Path.GetFileName(input), source)], DateTime.UtcNow);
                stopwatch.Stop();
                if (i > 0)
                {
                    best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
                }
                stored = stats.StoredBytes;
            }
            runs.Add(new CodecRun(name, "ExportStudio", original, stored, best));
            Console.WriteLine($"  codec {name,-28} ExportStudio {original / 1e6 / best,7:F0} MB/s  ratio {(double)original / stored,5:F2}");
        }

        async Task Tool(string name, string commandLine)
        {
            var best = double.MaxValue;
            for (var i = 0; i <= Repeats; i++)
            {
                var elapsed = (await ToolTimer.RunAsync(commandLine)).TotalSeconds;
                if (i > 0)
                {
                    best = Math.Min(best, elapsed);
                }
            }
            var stored = new FileInfo(output).Length;
            runs.Add(new CodecRun(name, "tool", original, stored, best));
            Console.WriteLine($"  codec {name,-28} tool         {original / 1e6 / best,7:F0} MB/s  ratio {(double)original / stored,5:F2}");
        }

        var @in = ToolTimer.Quote(input);
        var @out = ToolTimer.Quote(output);
        await Ours("zstd -3", CompressionFormat.Zstd, 3);
        await Tool("zstd -3 -T0", $"zstd -3 -T0 -q -f {@in} -o {@out}");
        await Tool("zstd -3 -T1", $"zstd -3 -T1 -q -f {@in} -o {@out}");
        // tar.gz is ExportStudio's only gzip output: the tar framing adds a spool copy the tools do not make.
        await Ours("gzip -6 (tar.gz)", CompressionFormat.TarGz, 6);
        await Tool("gzip -6", $"gzip -6 -c {@in} > {@out}");
        await Tool("pigz -6", $"pigz -6 -c {@in} > {@out}");
        if (includeSlowLevels)
        {
            await Ours("zstd -19", CompressionFormat.Zstd, 19);
            await Tool("zstd -19", $"zstd -19 -q -f {@in} -o {@out}");
        }
        File.Delete(output);
        return runs;
    }
}
