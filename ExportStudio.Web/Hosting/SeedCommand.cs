using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportStudio.Web.Hosting;

/// <summary>
/// <c>dotnet run --project ExportStudio.Web -- seed --megabytes 1000 --database PATH</c>: fills a database
/// with generated sessions sized by the bytes of their JSON export, for benchmarks.
/// </summary>
internal static class SeedCommand
{
    public const string Name = "seed";

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var megabytes, out var databasePath, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine("Usage: seed --megabytes N --database PATH   (N > 0: target size of the JSON export in MB)");
            return 2;
        }

        var fullPath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var options = new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(fullPath).Options;
        var factory = new PooledDbContextFactory<ExportStudioDbContext>(options);

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };

        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(demoSessions: 0, cancellation.Token);

        var target = (long)(megabytes * 1_000_000);
        var progress = new Progress<BulkSeedResult>(p =>
            Console.Write($"\r{p.EstimatedJsonBytes / 1_000_000.0,8:F0} / {megabytes:F0} MB  {p.Sessions,9:N0} sessions  {p.Messages,11:N0} messages  {p.Elapsed:mm\\:ss}"));
        var result = await new BulkSeeder(factory).SeedAsync(target, progress, cancellationToken: cancellation.Token);
        Console.WriteLine();
        Console.WriteLine($"Seeded {result.Sessions:N0} sessions, {result.Messages:N0} messages (~{result.EstimatedJsonBytes / 1_000_000.0:F0} MB of JSON) into {fullPath} in {result.Elapsed.TotalSeconds:F1} s.");
        return 0;
    }

    private static bool TryParse(string[] args, out double megabytes, out string databasePath, out string error)
    {
        megabytes = 0;
        databasePath = "";
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--megabytes" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var mb) && mb > 0:
                    megabytes = mb;
                    i++;
                    break;
                case "--megabytes":
                    error = $"--megabytes needs a positive number, got '{value}'.";
                    return false;
                case "--database" when !string.IsNullOrWhiteSpace(value):
                    databasePath = value;
                    i++;
                    break;
                case "--database":
                    error = "--database needs a file path.";
                    return false;
                default:
                    error = $"Unknown argument '{args[i]}'.";
                    return false;
            }
        }
        if (megabytes <= 0)
        {
            error = "--megabytes is required.";
            return false;
        }
        if (databasePath.Length == 0)
        {
            error = "--database is required.";
            return false;
        }
        return true;
    }
}
