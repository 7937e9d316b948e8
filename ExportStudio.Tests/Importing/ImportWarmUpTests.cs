using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportStudio.Tests.Importing;

/// <summary>The start-up import warm-up, run by hand on an app started without it, so a failure surfaces here.</summary>
public sealed class ImportWarmUpTests : IAsyncLifetime
{
    private readonly ExportStudioApp _app = new(demoSessions: 4);

    public Task InitializeAsync()
    {
        _ = _app.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_export_warm_up_document_is_imported_whole_into_scratch_databases_and_the_app_database_is_untouched()
    {
        await using var document = new MemoryStream();
        await _app.Services.GetRequiredService<ExportWarmUp>().RunAsync(CancellationToken.None, document);
        document.Position = 0;
        var sessionsInDocument = JsonDocument.Parse(document).RootElement.GetProperty("sessions").GetArrayLength();

        var imported = await _app.Services.GetRequiredService<ImportWarmUp>().RunAsync(document, CancellationToken.None);

        // Every round imports every session: each went into an empty database.
        Assert.True(sessionsInDocument > 100, $"{sessionsInDocument} sessions in the warm-up's document.");
        Assert.Equal(sessionsInDocument, imported);
        await using var db = _app.CreateDbContext();
        Assert.Equal(4, await db.Sessions.CountAsync());
        Assert.Empty(await db.Set<ImportRun>().ToListAsync());
        AssertNoFilesIn(_app.TempDirectory);
    }

    [Fact]
    public async Task A_document_that_is_not_an_export_fails_the_warm_up_and_leaves_no_scratch_database()
    {
        await using var document = new MemoryStream("{\"this is\": \"not an export\"}"u8.ToArray());

        await Assert.ThrowsAsync<ImportSourceUnknownException>(() => _app.Services.GetRequiredService<ImportWarmUp>().RunAsync(document, CancellationToken.None));

        AssertNoFilesIn(_app.TempDirectory);
    }

    private static void AssertNoFilesIn(string directory)
    {
        // The instance's own lock file stays for as long as the app runs.
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != ".lock")
            .Select(f => Path.GetRelativePath(directory, f)).ToList();
        Assert.True(files.Count == 0, $"Left in the temporary directory: {string.Join(", ", files)}");
    }
}
