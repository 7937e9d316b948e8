using Microsoft.Playwright;

namespace ExportStudio.Tests.EndToEnd;

/// <summary>
/// The real app on a real Kestrel port and Debian's Chromium driven by Playwright, started once for the
/// end-to-end tests. A missing browser fails the tests (./test.sh installs it); it never skips them.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private readonly TempDirectory _directory = new();
    private IPlaywright? _playwright;

    public AppProcess App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string DownloadDirectory => _directory.Combine("downloads");
    public string DatabasePath => _directory.Combine("exportstudio.db");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}; run ./test.sh, which installs it (apt-get install chromium).");
        }
        Directory.CreateDirectory(DownloadDirectory);
        App = await AppProcess.StartAsync(DatabasePath, _directory.Combine("exports"), demoSessions: 40);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        _directory.Dispose();
    }
}
