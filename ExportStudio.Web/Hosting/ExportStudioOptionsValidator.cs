using Microsoft.Extensions.Options;

namespace ExportStudio.Web.Hosting;

/// <summary>
/// Refuses, at start-up, a configuration that cannot work, naming the setting and its value, so the app
/// stops with one clear message instead of failing on the first export.
/// </summary>
internal sealed class ExportStudioOptionsValidator(IHostEnvironment environment) : IValidateOptions<ExportStudioOptions>
{
    private const string Section = ExportStudioOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ExportStudioOptions options)
    {
        var failures = new List<string>();

        RequireAtLeast(failures, nameof(options.MaxConcurrentExports), options.MaxConcurrentExports, 1);
        RequireAtLeast(failures, nameof(options.MaxExportBytes), options.MaxExportBytes, 1);
        RequireAtLeast(failures, nameof(options.MaxImportBytes), options.MaxImportBytes, 1);
        RequireAtLeast(failures, nameof(options.RetentionDays), options.RetentionDays, 1);
        RequireAtLeast(failures, nameof(options.MaxFormatsPerExport), options.MaxFormatsPerExport, 1);
        RequireBetween(failures, nameof(options.LeaseSeconds), options.LeaseSeconds, 3, 3600, "seconds a job's lease lasts without a heartbeat");
        RequireAtLeast(failures, "DemoData:Sessions", options.DemoData.Sessions, 0);
        RequireWorkers(failures, "Zstd:Workers", options.Zstd.Workers);
        RequireWorkers(failures, "Gzip:Workers", options.Gzip.Workers);

        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            failures.Add($"{Section}:DatabasePath is empty: it must name the SQLite database file.");
        }
        else
        {
            var path = Path.GetFullPath(options.DatabasePath, environment.ContentRootPath);
            RequireWritableDirectory(failures, nameof(options.DatabasePath), options.DatabasePath, Path.GetDirectoryName(path)!);
            if (Directory.Exists(path))
            {
                failures.Add($"{Section}:DatabasePath is '{options.DatabasePath}': that is a directory, not a database file.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.ExportDirectory))
        {
            failures.Add($"{Section}:ExportDirectory is empty: it must name a writable directory.");
        }
        else
        {
            RequireWritableDirectory(failures, nameof(options.ExportDirectory), options.ExportDirectory,
                Path.GetFullPath(options.ExportDirectory, environment.ContentRootPath));
        }

        if (string.IsNullOrWhiteSpace(options.TempDirectory))
        {
            failures.Add($"{Section}:TempDirectory is empty: it must name a writable directory for the app's temporary files.");
        }
        else
        {
            RequireWritableDirectory(failures, nameof(options.TempDirectory), options.TempDirectory,
                Path.GetFullPath(options.TempDirectory, environment.ContentRootPath));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireAtLeast(List<string> failures, string setting, long value, long minimum)
    {
        if (value < minimum)
        {
            failures.Add($"{Section}:{setting} is {value}: it must be at least {minimum}.");
        }
    }

    private static void RequireBetween(List<string> failures, string setting, long value, long minimum, long maximum, string meaning)
    {
        if (value < minimum || value > maximum)
        {
            failures.Add($"{Section}:{setting} is {value}: it must be from {minimum} to {maximum} ({meaning}).");
        }
    }

    private static void RequireWorkers(List<string> failures, string setting, int value)
    {
        RequireAtLeast(failures, setting, value, 0);
        if (value > 256)
        {
            failures.Add($"{Section}:{setting} is {value}: it must be between 0 (one per core) and 256.");
        }
    }

    private static void RequireWritableDirectory(List<string> failures, string setting, string configured, string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            failures.Add($"{Section}:{setting} is '{configured}': the directory '{directory}' is not writable ({exception.Message}).");
        }
    }
}
