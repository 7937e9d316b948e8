using System.Diagnostics;
using System.Globalization;
using ExportStudio.Benchmarks.RealisticData.Composing;
using ExportStudio.Benchmarks.RealisticData.Corpus;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportStudio.Benchmarks.RealisticData;

/// <summary>
/// <c>seed-realistic --megabytes 107 --database PATH [--seed N]</c>: fills an empty database with sessions
/// made of real text (docs, source code, logs) that compress like real chat exports, sized by the bytes of
/// their JSON export like the product's <c>seed</c> command. The same seed and the same installed
/// packages give the same sessions; a missing package stops it with the apt-get line to run.
/// </summary>
internal static class RealisticSeedCommand
{
    public const string Name = "seed-realistic";
    private const string UsageLine = "Usage: seed-realistic --megabytes N --database PATH [--seed N]   (N > 0: target size of the JSON export in MB)";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = RealisticOptions.Parse(args, ["--megabytes", "--database", "--seed"], out var error);
        if (options is null || options.Megabytes <= 0 || options.Database is null)
        {
            Console.Error.WriteLine(options is null ? error : options.Megabytes <= 0 ? "--megabytes is required." : "--database is required.");
            Console.Error.WriteLine(UsageLine);
            return 2;
        }
        var sources = CorpusSource.Defaults();
        if (CorpusLoader.MissingSources(sources) is { } missing)
        {
            // Checked before the database is created, so a failed run leaves nothing behind.
            Console.Error.WriteLine(missing);
            return 1;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
        var factory = await OpenEmptyDatabaseAsync(Path.GetFullPath(options.Database), cancellation.Token);
        if (factory is null) return 1;

        var stopwatch = Stopwatch.StartNew();
        TextCorpus corpus;
        try
        {
            corpus = CorpusLoader.Load(sources);
        }
        catch (MissingCorpusException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        var loadSeconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"Corpus read in {loadSeconds:F1} s.");
        await SeedAsync(factory, corpus, options, cancellation.Token);
        Console.WriteLine($"Total {stopwatch.Elapsed.TotalSeconds:F1} s (corpus {loadSeconds:F1} s); " +
                          $"memory {Environment.WorkingSet / 1_000_000:N0} MB at the end, peak {PeakMegabytes():N0} MB.");
        return 0;
    }

    /// <summary>The product's migrations, as its own seed command applies them; null (after saying why) when the database already holds sessions.</summary>
    private static async Task<IDbContextFactory<ExportStudioDbContext>?> OpenEmptyDatabaseAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(path).Options;
        var factory = new PooledDbContextFactory<ExportStudioDbContext>(options);
        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(demoSessions: 0, cancellationToken);
        await using var context = await factory.CreateDbContextAsync(cancellationToken);
        var existing = await context.Sessions.IgnoreQueryFilters().CountAsync(cancellationToken);
        if (existing == 0) return factory;
        // The data set is one timeline from its seed: appending to other sessions would make neither.
        Console.Error.WriteLine($"{path} already holds {existing:N0} sessions; seed-realistic fills an empty database (delete the file or choose another path).");
        return null;
    }

    private static async Task SeedAsync(IDbContextFactory<ExportStudioDbContext> factory, TextCorpus corpus, RealisticOptions options, CancellationToken cancellationToken)
    {
        var usage = new Usage();
        var composer = new SessionComposer(corpus, options.Seed, usage);
        using var fingerprint = new SessionFingerprint();
        var progress = new Progress<BulkSeedResult>(p =>
            Console.Write($"\r{p.EstimatedJsonBytes / 1_000_000.0,8:F0} / {options.Megabytes:F0} MB  {p.Sessions,9:N0} sessions  {p.Messages,11:N0} messages  {p.Elapsed:mm\\:ss}"));
        var target = (long)(options.Megabytes * 1_000_000);
        var result = await new BulkSeeder(factory).SeedAsync(target, _ =>
        {
            var session = composer.Next();
            fingerprint.Add(session);
            return session;
        }, progress, cancellationToken);
        Console.WriteLine();
        Console.WriteLine($"Seeded {result.Sessions:N0} sessions, {result.Messages:N0} messages (~{result.EstimatedJsonBytes / 1_000_000.0:F0} MB of JSON) " +
                          $"in {result.Elapsed.TotalSeconds:F1} s; seed {options.Seed}, sessions fingerprint {fingerprint.Current()}.");
        UsageReport.Write(corpus, usage);
    }

    /// <summary>The most resident memory this process has had (VmHWM, in KiB), in MB.</summary>
    private static long PeakMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024 / 1_000_000;
    }
}
