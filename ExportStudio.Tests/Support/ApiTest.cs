namespace ExportStudio.Tests.Support;

/// <summary>
/// A test class over HTTP against its own app (and its own database, export directory and scratch folder),
/// created for each test and disposed after it.
/// </summary>
public abstract class ApiTest : IAsyncLifetime
{
    protected ApiTest(int demoSessions = 30, IDictionary<string, string?>? settings = null) => App = new ExportStudioApp(demoSessions, settings);

    protected ExportStudioApp App { get; }
    protected TempDirectory Work { get; } = new();
    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Creates an export through the API and waits for it to finish; returns the job resource.</summary>
    protected async Task<JsonElement> ExportAsync(object body) => await Client.WaitForExportAsync(await Client.CreateExportAsync(body));

    public Task InitializeAsync()
    {
        Client = App.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        Work.Dispose();
    }
}
