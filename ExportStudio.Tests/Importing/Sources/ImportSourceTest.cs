namespace ExportStudio.Tests.Importing.Sources;

/// <summary>An empty app and its client, for the tests of one source's reader through the import API.</summary>
public abstract class ImportSourceTest : IAsyncLifetime
{
    protected ExportStudioApp App { get; } = new();

    protected HttpClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Client = App.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>Imports a fixture (expecting 200) and returns the answer with every session the app then holds.</summary>
    protected async Task<(JsonElement Result, List<ChatSession> Sessions)> ImportAsync(string fixture, string? source = null)
    {
        var (status, result) = await Client.ImportAsync(ImportFixtures.Read(fixture), source);
        Assert.True(status == HttpStatusCode.OK, $"{fixture}: {status} {result}");
        return (result, await App.SessionsAsync());
    }

    /// <summary>The same file again: nothing new, everything skipped.</summary>
    protected async Task AssertReimportSkipsAllAsync(string fixture, int sessions)
    {
        var (status, again) = await Client.ImportAsync(ImportFixtures.Read(fixture));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((0, 0, sessions, 0), (again.GetProperty("imported").GetInt32(), again.GetProperty("updated").GetInt32(), again.GetProperty("skipped").GetInt32(), again.GetProperty("messages").GetInt32()));
    }

    protected static int Count(JsonElement result, string field) => result.GetProperty(field).GetInt32();
}
