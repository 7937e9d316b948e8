using System.Diagnostics;
using Microsoft.Playwright;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>
/// The viewer on a large zstd export: a json → zstd export made through the app's API, opened at
/// /view/{jobId} in Chromium. Measures the time until the first session is shown (from the navigation's
/// start, so the page load, the circuit and the decoder's start are in it), the time until the whole file
/// is read, and the peak memory of the page's renderer (its worker and WebAssembly run there) and of the
/// browser process (where Chromium keeps Blob data).
/// </summary>
internal sealed class ViewerBenchmark(string dataDirectory, string? appDirectory, string chromium)
{
    public async Task<ViewerRun> RunAsync(int megabytes)
    {
        Directory.CreateDirectory(dataDirectory);
        var database = Path.Combine(dataDirectory, $"sessions-{megabytes}mb.db");
        var sessions = await EndToEndBenchmark.EnsureDataSetAsync(database, megabytes);
        var exports = Path.Combine(dataDirectory, $"exports-viewer-{megabytes}mb");
        if (Directory.Exists(exports))
        {
            Directory.Delete(exports, recursive: true);
        }
        Directory.CreateDirectory(exports);
        try
        {
            await using var app = await AppProcess.StartAsync(database, exports, EndToEndBenchmark.BenchmarkSettings, appDirectory: appDirectory);
            using var client = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromMinutes(30) };
            var (job, _) = await EndToEndBenchmark.ExportAsync(client, "json", "zstd");
            var jobId = job.GetProperty("jobId").GetGuid();
            var file = job.GetProperty("fileInfo");
            var (original, stored) = (file.GetProperty("size").GetInt64(), file.GetProperty("compressedSize").GetInt64());
            Console.WriteLine($"  export {jobId}: {original / 1e6:F0} MB json → {stored / 1e6:F0} MB zstd, {sessions:N0} sessions");
            return await ViewAsync(app.Address, jobId, sessions, original, stored);
        }
        finally
        {
            Directory.Delete(exports, recursive: true);
        }
    }

    private async Task<ViewerRun> ViewAsync(Uri address, Guid jobId, int sessions, long original, long stored)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add(error);

        using var sampler = new ChromiumMemorySampler();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync($"/view/{jobId}");
        await page.Locator("[data-testid=session-row]").First.WaitForAsync(new() { Timeout = 120_000 });
        var firstShownWall = clock.Elapsed.TotalSeconds;
        await page.Locator("[data-testid=viewer][data-state=done]").WaitForAsync(new() { Timeout = 3_600_000 });
        var doneWall = clock.Elapsed.TotalSeconds;
        var marks = await page.EvaluateAsync<double[]>("""
            () => ['viewer:start', 'viewer:first-session'].map(name => performance.getEntriesByName(name)[0]?.startTime ?? -1)
            """);
        var listed = int.Parse(await page.Locator("[data-testid=viewer]").GetAttributeAsync("data-sessions") ?? "0");
        var (renderer, browserProcess) = sampler.Stop();
        if (problems.Count > 0 || listed != sessions)
        {
            throw new InvalidOperationException($"The viewer listed {listed:N0} of {sessions:N0} sessions; page errors: {string.Join("; ", problems)}");
        }
        return new ViewerRun(sessions, original, stored, marks[1] / 1000, (marks[1] - marks[0]) / 1000, firstShownWall, doneWall, renderer, browserProcess);
    }
}

/// <summary>What one viewer run measured; times in seconds, memory in bytes.</summary>
internal sealed record ViewerRun(int Sessions, long OriginalBytes, long StoredBytes, double FirstSessionSeconds, double FirstSessionAfterMountSeconds,
    double FirstRowSeenSeconds, double DoneSeconds, long RendererPeakBytes, long BrowserPeakBytes)
{
    public string MarkdownRow(string command) =>
        $"| {OriginalBytes / 1e6:N0} MB json → {StoredBytes / 1e6:N0} MB zstd, {Sessions:N0} sessions | {FirstSessionSeconds:F2} s ({FirstSessionAfterMountSeconds:F2} s after the viewer's script started) | " +
        $"{DoneSeconds:F0} s ({OriginalBytes / 1e6 / DoneSeconds:F0} MB/s of JSON) | {RendererPeakBytes / 1e6:N0} MB | {BrowserPeakBytes / 1e6:N0} MB | `{command}` |";
}

/// <summary>
/// Samples the resident memory of the Chromium processes this process started (found by walking /proc's
/// parent links, so other browsers on the machine are not counted) every 100 ms, and reads their VmHWM at
/// the end: the renderer with the highest peak (the page's) and the browser process.
/// </summary>
internal sealed class ChromiumMemorySampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<int, (string Kind, long Peak)> _peaks = [];
    private readonly Task _loop;

    public ChromiumMemorySampler() => _loop = Task.Run(LoopAsync);

    public (long Renderer, long Browser) Stop()
    {
        _stop.Cancel();
        _loop.Wait();
        Sample(highWater: true);
        lock (_peaks)
        {
            var renderer = _peaks.Values.Where(p => p.Kind == "renderer").Select(p => p.Peak).DefaultIfEmpty().Max();
            var browser = _peaks.Values.Where(p => p.Kind == "browser").Select(p => p.Peak).DefaultIfEmpty().Max();
            return (renderer, browser);
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Sample(highWater: false);
            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Sample(bool highWater)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Read($"{directory}/stat") is { } stat)
            {
                // The command name in parentheses may hold spaces; the parent id is the second field after it.
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
            }
        }
        var self = Environment.ProcessId;
        foreach (var pid in parents.Keys)
        {
            if (!DescendsFrom(pid, self, parents) || Read($"/proc/{pid}/cmdline") is not { } cmdline || !cmdline.Contains("chromium", StringComparison.Ordinal))
            {
                continue;
            }
            var kind = cmdline.Contains("--type=renderer", StringComparison.Ordinal) ? "renderer" : cmdline.Contains("--type=", StringComparison.Ordinal) ? "other" : "browser";
            if (Kilobytes(pid, highWater ? "VmHWM:" : "VmRSS:") is { } kilobytes)
            {
                lock (_peaks)
                {
                    var peak = _peaks.TryGetValue(pid, out var known) ? Math.Max(known.Peak, kilobytes * 1024) : kilobytes * 1024;
                    _peaks[pid] = (kind, peak);
                }
            }
        }
    }

    private static bool DescendsFrom(int pid, int ancestor, Dictionary<int, int> parents)
    {
        for (var depth = 0; depth < 16 && parents.TryGetValue(pid, out var parent) && parent > 1; depth++)
        {
            if (parent == ancestor)
            {
                return true;
            }
            pid = parent;
        }
        return false;
    }

    private static long? Kilobytes(int pid, string field) =>
        Read($"/proc/{pid}/status")?.Split('\n').FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
            : null;

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended between listing and reading.
            return null;
        }
    }

    public void Dispose() => _stop.Dispose();
}
