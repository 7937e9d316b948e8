using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportStudio.Web.Hosting;

internal static class DatabaseServiceCollectionExtensions
{
    public static IServiceCollection AddExportStudioDatabase(this IServiceCollection services)
    {
        // A factory, not a scoped context: Blazor circuits live for hours and exports run in the
        // background, so every operation takes a short-lived context of its own.
        services.AddDbContextFactory<ExportStudioDbContext>((provider, options) =>
            options.UseExportStudioSqlite(provider.GetRequiredService<ExportStudioPaths>().DatabasePath));
        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService<DatabaseInitializationService>();
        return services;
    }

    /// <summary>Migrates and seeds before the server starts listening, so the first request finds a ready database.</summary>
    private sealed class DatabaseInitializationService(DatabaseInitializer initializer, IOptions<ExportStudioOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            initializer.InitializeAsync(options.Value.DemoData.Sessions, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
