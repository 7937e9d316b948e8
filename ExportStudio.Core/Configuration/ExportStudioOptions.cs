namespace ExportStudio.Core.Configuration;

/// <summary>The <c>ExportStudio</c> configuration section (appsettings.json at the repository root).</summary>
public sealed class ExportStudioOptions
{
    public const string SectionName = "ExportStudio";

    /// <summary>SQLite database file; relative paths resolve against the content root.</summary>
    public string DatabasePath { get; set; } = "data/exportstudio.db";

    /// <summary>Directory holding finished exports; relative paths resolve against the content root.</summary>
    public string ExportDirectory { get; set; } = "data/exports";

    /// <summary>
    /// The app's own scratch space (tar spools, uploads being imported, import staging), one folder per
    /// running instance; relative paths resolve against the content root.
    /// </summary>
    public string TempDirectory { get; set; } = "data/tmp";

    /// <summary>
    /// Seconds a running job's lease lasts without a heartbeat; after that another instance (or this one
    /// after a restart) takes the job over. The owner renews it three times per period.
    /// </summary>
    public int LeaseSeconds { get; set; } = 15;

    /// <summary>Runs the export, import and API paths on scratch databases at start-up and waits for the compiler to settle, so the first real export or import runs at full speed.</summary>
    public bool WarmUp { get; set; } = true;

    public int MaxConcurrentExports { get; set; } = 2;

    /// <summary>Largest export (original bytes) a job may produce before it is stopped.</summary>
    public long MaxExportBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Largest import, both as uploaded and after decompression.</summary>
    public long MaxImportBytes { get; set; } = 1024L * 1024 * 1024;

    public int RetentionDays { get; set; } = 30;

    /// <summary>Most formats one request may bundle into one archive.</summary>
    public int MaxFormatsPerExport { get; set; } = 4;

    public DemoDataOptions DemoData { get; set; } = new();
    public ZstdOptions Zstd { get; set; } = new();
    public GzipOptions Gzip { get; set; } = new();
}

public sealed class DemoDataOptions
{
    /// <summary>Sessions seeded into an empty database on first start; 0 seeds nothing.</summary>
    public int Sessions { get; set; } = 200;
}

public sealed class ZstdOptions
{
    /// <summary>zstd worker threads for multi-threaded compression; 0 = one per core.</summary>
    public int Workers { get; set; }
}

public sealed class GzipOptions
{
    /// <summary>gzip worker threads for the parallel tar.gz compressor; 0 = one per core.</summary>
    public int Workers { get; set; }
}
