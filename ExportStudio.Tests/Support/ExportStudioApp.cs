using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ExportStudio.Tests.Support;

/// <summary>
/// The real app in-process, on its own temporary SQLite file and export directory: no test shares data
/// with another. Settings override appsettings.json the same way environment variables would.
/// </summary>
public sealed class ExportStudioApp : WebApplicationFactory<Program>
{
    private readonly TempDirectory _directory = new();
    private readonly Dictionary<string, string?> _settings;

    public ExportStudioApp(int demoSessions = 0, IDictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["ExportStudio:DatabasePath"] = _directory.Combine("exportstudio.db"),
            ["ExportStudio:ExportDirectory"] = _directory.Combine("exports"),
            ["ExportStudio:TempDirectory"] = _directory.Combine("tmp"),
            ["ExportStudio:DemoData:Sessions"] = demoSessions.ToString(),
            // Seconds per app on this machine, and in-process tests measure no speed; one test keeps it on.
            ["ExportStudio:WarmUp"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DatabasePath => _settings["ExportStudio:DatabasePath"]!;
    public string ExportDirectory => _settings["ExportStudio:ExportDirectory"]!;
    public string TempDirectory => _settings["ExportStudio:TempDirectory"]!;

    public ExportStudioDbContext CreateDbContext() =>
        Services.GetRequiredService<IDbContextFactory<ExportStudioDbContext>>().CreateDbContext();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        catch (ArgumentNullException)
        {
            // WebApplicationFactory throws this when asked to stop a host that failed to start
            // (the bad-configuration tests); there is nothing to stop.
        }
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
