using Microsoft.Playwright;

namespace ExportStudio.Tests.EndToEnd;

/// <summary>What every browser test does with a page: open it live, watch its console, wait for the circuit.</summary>
public static class BrowserPages
{
    public static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    public static IPageAssertions Expect(IPage page) => Assertions.Expect(page);

    /// <summary>Opens <paramref name="path"/> and waits until Blazor's circuit has started (prerendered HTML looks the same but does nothing).</summary>
    public static async Task<IPage> OpenAsync(this IBrowserContext context, string path, List<string>? problems = null)
    {
        var page = await context.NewPageAsync();
        if (problems is not null)
        {
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    problems.Add($"{path}: {message.Text}");
                }
            };
            page.PageError += (_, error) => problems.Add($"{path}: {error}");
        }
        await page.GotoAsync(path);
        await WaitForCircuitAsync(page);
        return page;
    }

    public static async Task WaitForCircuitAsync(IPage page) =>
        await page.WaitForSelectorAsync("[data-interactive=true]", new() { Timeout = 30_000 });

    /// <summary>True when screenshots for the README were asked for (EXPORTSTUDIO_SCREENSHOTS=1); a plain test run never rewrites tracked files.</summary>
    public static bool ScreenshotsWanted => Environment.GetEnvironmentVariable("EXPORTSTUDIO_SCREENSHOTS") == "1";

    /// <summary>docs/screenshots/<paramref name="name"/> in the repository.</summary>
    public static string ScreenshotPath(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExportStudio.sln")))
        {
            directory = directory.Parent;
        }
        var screenshots = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "docs", "screenshots");
        Directory.CreateDirectory(screenshots);
        return Path.Combine(screenshots, name);
    }

    public static async Task ScreenshotIfWantedAsync(this IPage page, string name)
    {
        if (ScreenshotsWanted)
        {
            // Moving focus to a result scrolls the page; a full-page shot of a scrolled page draws the fixed app bar mid-way.
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(name), FullPage = true });
        }
    }
}
