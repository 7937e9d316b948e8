using Microsoft.Playwright;

namespace ExportStudio.Tests.EndToEnd;

/// <summary>
/// The real app on a real Kestrel port and Debian's Chromium driven by Playwright, started once per test
/// class. A missing browser fails the tests (./test.sh installs it); it never skips them.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private readonly TempDirectory _directory = new();
    private readonly int _demoSessions;
    private readonly SeededDatabase? _seeded;
    private IPlaywright? _playwright;

    public BrowserFixture() : this(demoSessions: 40, seeded: null)
    {
    }

    protected BrowserFixture(int demoSessions, SeededDatabase? seeded) => (_demoSessions, _seeded) = (demoSessions, seeded);

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
        if (_seeded is not null)
        {
            await _seeded.InitializeAsync();
            File.Copy(_seeded.Path, DatabasePath);
        }
        App = await AppProcess.StartAsync(DatabasePath, _directory.Combine("exports"), demoSessions: _demoSessions);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser context on the app: light or dark theme (the cookie the app reads), a time zone, a viewport.</summary>
    public async Task<IBrowserContext> NewContextAsync(bool dark = false, string? timeZone = null, int width = 1400, int height = 1000)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.Address.ToString(),
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = timeZone,
        });
        if (dark)
        {
            await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "exportstudio-theme", Value = "dark", Url = App.Address.ToString() }]);
        }
        return context;
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
        if (_seeded is not null)
        {
            await _seeded.DisposeAsync();
        }
        _directory.Dispose();
    }
}

/// <summary>The app over about 40 MB of sessions: an export at a high zstd level runs long enough to be watched, reloaded and cancelled.</summary>
public sealed class LargeDataBrowserFixture() : BrowserFixture(demoSessions: 0, seeded: new FortyMegabyteDatabase());
