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
            .AddCheck<ExportDirectoryHealthCheck>("exportDirectory");
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
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var probe = Path.Combine(paths.ExportDirectory, $".health-{Guid.NewGuid():N}");
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
                // Missing directory is already reported above; deleting must not mask it.
                if (File.Exists(probe))
                {
                    File.Delete(probe);
                }
            }
        }
    }
}
