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
        services.AddHostedService<ExportWarmUpService>();
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

/// <summary>Warms the export path and the API before the server takes requests (after the database is ready), unless configured off.</summary>
internal sealed class ExportWarmUpService(ExportWarmUp warmUp, ApiWarmUp api, IOptions<ExportStudioOptions> options, ILogger<ExportWarmUpService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.WarmUp)
        {
            return;
        }
        try
        {
            await warmUp.RunAsync(cancellationToken);
            api.Run();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A warm-up is an optimisation: the app starts without it.
            logger.LogWarning(exception, "Warming up the export path failed; the first export may be slower.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
