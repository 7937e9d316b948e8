using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Tests.Sessions;

/// <summary>Imports are changes too: what an import brings takes one value of the change sequence, all at once.</summary>
public sealed class ChangeSequenceTests : IAsyncLifetime
{
    private readonly ExportStudioApp _source = new();
    private readonly ExportStudioApp _target = new();
    private HttpClient _sourceClient = null!;
    private HttpClient _targetClient = null!;

    public Task InitializeAsync()
    {
        _sourceClient = _source.CreateClient();
        _targetClient = _target.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _sourceClient.Dispose();
        _targetClient.Dispose();
        await _source.DisposeAsync();
        await _target.DisposeAsync();
    }

    private static object Session(string title, string content) => new { title, messages = new[] { new { role = "user", content } } };

    private async Task<byte[]> ExportSourceAsync()
    {
        var job = await _sourceClient.WaitForExportAsync(await _sourceClient.CreateExportAsync(new { format = "json" }));
        return await _sourceClient.GetByteArrayAsync($"/api/v1/export/{job.GetProperty("jobId").GetGuid()}/download");
    }

    private async Task<JsonElement> ImportIntoTargetAsync(byte[] file)
    {
        using var response = await _targetClient.PostAsync("/api/v1/import", new ByteArrayContent(file));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<Dictionary<Guid, long>> TargetSequencesAsync()
    {
        await using var db = _target.CreateDbContext();
        return await db.Sessions.ToDictionaryAsync(s => s.Id, s => s.ChangeSequence);
    }

    [Fact]
    public async Task An_import_takes_one_value_for_what_it_brings_and_brings_deleted_sessions_back()
    {
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        foreach (var id in new[] { a, b, c })
        {
            (await _sourceClient.PutAsJsonAsync($"/api/v1/sessions/{id}", Session($"session {id}", "hello"))).EnsureSuccessStatusCode();
        }
        (await _targetClient.PutAsJsonAsync($"/api/v1/sessions/{Guid.NewGuid()}", Session("the target's own", "hi"))).EnsureSuccessStatusCode();
        var file = await ExportSourceAsync();

        await ImportIntoTargetAsync(file);
        var first = await TargetSequencesAsync();
        var imported = new[] { a, b, c }.Select(id => first[id]).Distinct().ToList();
        Assert.Single(imported);
        Assert.True(imported[0] > first.Where(p => p.Key != a && p.Key != b && p.Key != c).Single().Value);

        // A newer version replaces the held one and takes a new value; the unchanged are skipped and keep theirs.
        (await _sourceClient.PutAsJsonAsync($"/api/v1/sessions/{b}", Session("b, edited", "hello again"))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await _targetClient.DeleteAsync($"/api/v1/sessions/{c}")).StatusCode);
        var result = await ImportIntoTargetAsync(await ExportSourceAsync());

        Assert.Equal(1, result.GetProperty("imported").GetInt32()); // c, deleted here, comes back
        Assert.Equal(1, result.GetProperty("updated").GetInt32());
        Assert.Equal(1, result.GetProperty("skipped").GetInt32());
        var second = await TargetSequencesAsync();
        Assert.Equal(first[a], second[a]);
        Assert.Equal(second[b], second[c]);
        Assert.True(second[b] > first[b]);
        await using var db = _target.CreateDbContext();
        Assert.Empty(await db.SessionDeletions.ToListAsync());
        Assert.Equal("b, edited", (await db.Sessions.SingleAsync(s => s.Id == b)).Title);
    }
}
