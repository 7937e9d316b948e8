using ExportStudio.Core.Compression;
using ExportStudio.Core.Configuration;
using Microsoft.Extensions.Options;
using ExportStudio.Core.Exports;
using ExportStudio.Core.Imports;
using ExportStudio.Core.Storage;

namespace ExportStudio.Web.Hosting;

internal static class ExportServiceCollectionExtensions
{
    public static IServiceCollection AddExportStudioExports(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new ExportFileStore(provider.GetRequiredService<ExportStudioPaths>().ExportDirectory));
        services.AddSingleton(provider => new CompressionService(provider.GetRequiredService<IOptions<ExportStudioOptions>>().Value.Zstd.Workers));
        services.AddSingleton<ExportProgressFeed>();
        services.AddSingleton<ExportRunRegistry>();
        services.AddSingleton<ExportRunner>();
        services.AddSingleton<ExportWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<ExportWorker>());
        services.AddSingleton<ExportJobService>();
        services.AddSingleton<ExportRetentionService>();
        services.AddHostedService(provider => provider.GetRequiredService<ExportRetentionService>());
        services.AddSingleton<ImportService>();
        services.AddSingleton<Core.Sessions.SessionCatalog>();
        services.AddSingleton<ExportEstimator>();
        return services;
    }
}
