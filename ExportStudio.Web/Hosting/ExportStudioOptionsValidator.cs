using System.Globalization;
using Microsoft.Extensions.Options;

namespace ExportStudio.Web.Hosting;

/// <summary>
/// Refuses, at start-up, a configuration that cannot work, naming the setting and its value, so the app
/// stops with one clear message instead of failing on the first export.
/// </summary>
internal sealed class ExportStudioOptionsValidator(IHostEnvironment environment) : IValidateOptions<ExportStudioOptions>
{
    private const string Section = ExportStudioOptions.SectionName;
    private const long OnePebibyte = 1L << 50;
    private const long NoMaximum = int.MaxValue;

    /// <summary>
    /// Every number in the section and the range it must be in. The maxima keep the arithmetic done with a
    /// setting from overflowing (a date RetentionDays back, the multipart allowance added to MaxImportBytes,
    /// the times of generated demo sessions) while staying far above anything a real configuration needs.
    /// </summary>
    private static readonly NumberSetting[] Numbers =
    [
        new(nameof(ExportStudioOptions.MaxConcurrentExports), o => o.MaxConcurrentExports, 1, 64),
        new(nameof(ExportStudioOptions.MaxExportBytes), o => o.MaxExportBytes, 1, OnePebibyte, " (1 PiB)"),
        new(nameof(ExportStudioOptions.MaxImportBytes), o => o.MaxImportBytes, 1, OnePebibyte, " (1 PiB)"),
        new(nameof(ExportStudioOptions.RetentionDays), o => o.RetentionDays, 1, 36_500, " (100 years)"),
        new(nameof(ExportStudioOptions.MaxFormatsPerExport), o => o.MaxFormatsPerExport, 1, NoMaximum),
        new(nameof(ExportStudioOptions.LeaseSeconds), o => o.LeaseSeconds, 3, 3600, " (seconds a running export's lease lasts without a heartbeat)"),
        new("DemoData:Sessions", o => o.DemoData.Sessions, 0, 1_000_000, " (the seed command fills larger databases)"),
        new("Zstd:Workers", o => o.Zstd.Workers, 0, 256, " (0 is one per core)"),
        new("Gzip:Workers", o => o.Gzip.Workers, 0, 256, " (0 is one per core)"),
    ];

    private sealed record NumberSetting(string Key, Func<ExportStudioOptions, long> Read, long Minimum, long Maximum, string Note = "")
    {
        public string Range => Maximum == NoMaximum ? $"of at least {Minimum}" : $"from {Minimum} to {Maximum}{Note}";
    }

    /// <summary>
    /// Binds the section, refusing first, by name and value, a number that is not one or that is out of range:
    /// the binder would throw a conversion error with a stack trace before any validation could name it.
    /// </summary>
    public static void Bind(IConfigurationSection section, ExportStudioOptions options)
    {
        var failures = new List<string>();
        foreach (var number in Numbers)
        {
            if (section[number.Key] is not { } raw)
            {
                continue;
            }
            if (!long.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                failures.Add($"{Section}:{number.Key} is '{Shown(raw)}': it must be a whole number {number.Range}.");
            }
            else if (RangeFailure(number, value) is { } failure)
            {
                failures.Add(failure);
            }
        }
        if (failures.Count == 0)
        {
            try
            {
                section.Bind(options);
            }
            catch (InvalidOperationException exception)
            {
                // A value where the section expects settings beneath it (ExportStudio:Zstd=3).
                failures.Add(exception.Message);
            }
        }
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ExportStudioOptions), failures);
        }
    }

    public ValidateOptionsResult Validate(string? name, ExportStudioOptions options)
    {
        var failures = Numbers.Select(number => RangeFailure(number, number.Read(options))).OfType<string>().ToList();

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

    private static string? RangeFailure(NumberSetting number, long value) =>
        value < number.Minimum ? $"{Section}:{number.Key} is {value}: it must be at least {number.Minimum}."
        : value > number.Maximum ? $"{Section}:{number.Key} is {value}: it must be at most {number.Maximum}{number.Note}."
        : null;

    private static string Shown(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
