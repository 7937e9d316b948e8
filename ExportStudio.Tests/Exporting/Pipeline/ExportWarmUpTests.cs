using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task The_warm_up_compiles_its_queries_into_the_cache_the_app_database_uses()
    {
        await using var db = _app.CreateDbContext();
        var cache = (MemoryCache)db.GetService<IMemoryCache>();
        var compiled = cache.Count;

        await _app.Services.GetRequiredService<ExportWarmUp>().RunAsync(CancellationToken.None);

        // The job's claim, progress, end and read-back are queries the app has not run yet; compiled on a
        // context configured apart from the app's, they would have gone into a cache of their own.
        Assert.True(cache.Count > compiled + 5, $"{cache.Count - compiled} queries added to the app's query cache.");
    }
}
