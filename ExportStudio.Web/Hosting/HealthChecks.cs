using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExportStudio.Web.Hosting;

internal static class HealthChecks
{
    public static IServiceCollection AddExportStudioHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<ExportDirectoryHealthCheck>("exportDirectory")
            .AddCheck<TempDirectoryHealthCheck>("tempDirectory");
        return services;
    }

    public static IEndpointRouteBuilder MapExportStudioHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteResponseAsync })
            .DisableHttpMetrics();
        return endpoints;
    }

    private static Task WriteResponseAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString().ToLowerInvariant(), description = entry.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }

    private sealed class DatabaseHealthCheck(IDbContextFactory<ExportStudioDbContext> contextFactory) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
                var sessions = await db.Sessions.CountAsync(cancellationToken);
                return HealthCheckResult.Healthy($"reachable, {sessions} sessions");
            }
            catch (Exception exception)
            {
                return HealthCheckResult.Unhealthy($"unreachable: {exception.Message}");
            }
        }
    }

    private sealed class ExportDirectoryHealthCheck(ExportStudioPaths paths) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            WritableAsync(paths.ExportDirectory, cancellationToken);
    }

    /// <summary>Archives spool their entries and imports stage their sessions here: a full disk fails them, so say so.</summary>
    private sealed class TempDirectoryHealthCheck(TempSpace temp) : IHealthCheck
    {
        private const long FullBytes = 1L << 20;
        private const long LowSpaceBytes = 64L << 20;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var writable = await WritableAsync(temp.InstanceDirectory, cancellationToken);
            if (writable.Status != HealthStatus.Healthy)
            {
                return writable;
            }
            var free = new DriveInfo(temp.Root).AvailableFreeSpace;
            return free switch
            {
                < FullBytes => HealthCheckResult.Unhealthy($"full: {free / 1024} KB free in {temp.Root}; archives and imports need room there"),
                < LowSpaceBytes => HealthCheckResult.Degraded($"almost full: {free / (1 << 20)} MB free in {temp.Root}"),
                _ => HealthCheckResult.Healthy($"writable, {free / (1 << 20):N0} MB free"),
            };
        }
    }

    /// <summary>Writes and removes a probe file: the one honest test that a directory takes files.</summary>
    private static async Task<HealthCheckResult> WritableAsync(string directory, CancellationToken cancellationToken)
    {
        var probe = Path.Combine(directory, $".health-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
            return HealthCheckResult.Healthy("writable");
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy($"not writable: {exception.Message}");
        }
        finally
        {
            // A missing directory is already reported above; deleting must not mask it.
            if (File.Exists(probe))
            {
                File.Delete(probe);
            }
        }
    }
}
