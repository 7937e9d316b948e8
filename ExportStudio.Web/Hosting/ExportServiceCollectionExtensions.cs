using ExportStudio.Web.Api;
using Microsoft.Extensions.Options;

namespace ExportStudio.Web.Hosting;

internal static class ExportServiceCollectionExtensions
{
    public static IServiceCollection AddExportStudioExports(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AppInstance>();
        services.AddSingleton(provider => new ExportFileStore(provider.GetRequiredService<ExportStudioPaths>().ExportDirectory));
        services.AddSingleton(provider => new TempSpace(provider.GetRequiredService<ExportStudioPaths>().TempDirectory, provider.GetRequiredService<AppInstance>().Id));
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ExportStudioOptions>>().Value;
            return new CompressionService(options.Zstd.Workers, options.Gzip.Workers, provider.GetRequiredService<TempSpace>().InstanceDirectory);
        });
        services.AddSingleton<SessionCatalog>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<StoredSessionReader>();
        services.AddSingleton<ExportEstimator>();
        services.AddSingleton<ExportPipeline>();
        services.AddSingleton<ExportWarmUp>();
        services.AddSingleton<ApiWarmUp>();
        services.AddSingleton<ImportWarmUp>();
        services.AddHostedService<WarmUpService>();
        services.AddSingleton<ExportJobStore>();
        services.AddSingleton<ExportProgressFeed>();
        services.AddSingleton<ExportRunRegistry>();
        services.AddSingleton<ExportRunner>();
        services.AddSingleton<ExportRecovery>();
        services.AddSingleton<ExportWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<ExportWorker>());
        services.AddSingleton<ExportJobService>();
        services.AddSingleton<ScheduleService>();
        services.AddSingleton<ScheduleDictionaryStore>();
        services.AddHostedService<ExportScheduler>();
        services.AddSingleton<ExportRetentionService>();
        services.AddHostedService(provider => provider.GetRequiredService<ExportRetentionService>());
        services.AddSingleton<ImportRunStore>();
        services.AddSingleton<ImportRecovery>();
        services.AddHostedService(provider => provider.GetRequiredService<ImportRecovery>());
        services.AddSingleton<ImportService>();
        return services;
    }
}

/// <summary>
/// Warms the export path, then the import path (with a document of the export warm-up's sessions), then the
/// API, before the server takes requests (after the database is ready), unless configured off. Each is an
/// optimisation: one that fails is logged and the others still run.
/// </summary>
internal sealed class WarmUpService(ExportWarmUp exports, ImportWarmUp imports, ApiWarmUp api, TempSpace temp, ExportStudioPaths paths, IOptions<ExportStudioOptions> options,
    ILogger<WarmUpService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.WarmUp)
        {
            return;
        }
        // Read while the warm-ups run, and not waited for (a large database on a slow disk would hold up the
        // start): the first export then finds the database in the page cache.
        _ = WarmDatabaseFileAsync();
        // Shaped like an upload's spool: the import reads a temporary file, as it does for a request.
        await using var document = new FileStream(temp.NewFilePath("warm-up-upload", ".json"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        var exported = await TryAsync("export", "the first export", () => exports.RunAsync(cancellationToken, document));
        if (exported)
        {
            await TryAsync("import", "the first import", () => imports.RunAsync(document, cancellationToken));
        }
        await TryAsync("API", "the first requests", () =>
        {
            api.Run();
            return Task.CompletedTask;
        });
        await CompilerSettling.WaitAsync(logger, cancellationToken);
    }

    private async Task WarmDatabaseFileAsync()
    {
        try
        {
            var budget = PageCache.Budget();
            var read = await Task.Run(() => PageCache.WarmAsync(paths.DatabasePath, budget, CancellationToken.None));
            read += await PageCache.WarmAsync(paths.DatabasePath + "-wal", budget, CancellationToken.None);
            logger.LogInformation("Read {Megabytes:N0} MB of the database into the page cache.", read / 1e6);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.LogInformation(exception, "The database file could not be read ahead; its pages come from the disk as they are needed.");
        }
    }

    private async Task<bool> TryAsync(string path, string slower, Func<Task> warmUp)
    {
        try
        {
            await warmUp();
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Warming up the {Path} path failed; {Slower} may be slower.", path, slower);
            return false;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
