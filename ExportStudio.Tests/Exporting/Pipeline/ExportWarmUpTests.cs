using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExportStudio.Tests.Exporting.Pipeline;

/// <summary>The start-up warm-up, run by hand on an app started without it, so a failure surfaces here.</summary>
public sealed class ExportWarmUpTests : IAsyncLifetime
{
    private readonly ExportStudioApp _app = new(demoSessions: 5);

    public Task InitializeAsync()
    {
        _ = _app.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_warm_up_runs_a_job_on_its_scratch_database_and_leaves_the_app_database_and_folders_untouched()
    {
        await using var before = _app.CreateDbContext();
        var sessions = await before.Sessions.CountAsync();

        // Throws unless its job ran through the job machinery and completed.
        await _app.Services.GetRequiredService<ExportWarmUp>().RunAsync(CancellationToken.None);

        await using var db = _app.CreateDbContext();
        Assert.Equal(sessions, await db.Sessions.CountAsync());
        Assert.Empty(await db.ExportJobs().ToListAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_app.ExportDirectory));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_app.TempDirectory, "*", SearchOption.AllDirectories), p => p.Contains("warm-up"));
    }

    [Fact]
    public async Task The_warm_up_compiles_its_queries_into_the_cache_of_the_options_the_app_runs_with()
    {
        // Options of the app's shape with a query cache of their own: EF Core shares one cache between all
        // the contexts of a process otherwise, which other tests fill.
        using var cache = new MemoryCache(new MemoryCacheOptions());
        var options = new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(_app.DatabasePath).UseMemoryCache(cache).Options;
        var warmUp = new ExportWarmUp(options, _app.Services.GetRequiredService<CompressionService>(), _app.Services.GetRequiredService<TempSpace>(),
            _app.Services.GetRequiredService<IOptions<ExportStudioOptions>>(), NullLogger<ExportWarmUp>.Instance);

        await warmUp.RunAsync(CancellationToken.None);

        // On a context configured apart from the app's, the queries would have gone into another cache.
        Assert.True(cache.Count > 5, $"{cache.Count} queries in the app's query cache.");
    }
}
