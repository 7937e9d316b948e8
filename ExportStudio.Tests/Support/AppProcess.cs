using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace ExportStudio.Tests.Support;

/// <summary>
/// The real app as its own process on a real Kestrel port — what a browser, a crash (SIGKILL) or a load
/// test needs and an in-memory test server cannot give. Its output is kept for failure messages.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Starts the app on a free loopback port and waits until /healthz answers 200.</summary>
    /// <param name="appDirectory">The app's published or built files; the caller's own output folder by default.</param>
    public static async Task<AppProcess> StartAsync(string databasePath, string exportDirectory, IDictionary<string, string>? settings = null, int demoSessions = 0, string? appDirectory = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        appDirectory ??= AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(appDirectory, "ExportStudio.Web.dll"), "--urls", address.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = appDirectory,
            Environment =
            {
                ["ExportStudio__DatabasePath"] = databasePath,
                ["ExportStudio__ExportDirectory"] = exportDirectory,
                ["ExportStudio__TempDirectory"] = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(exportDirectory))!, "tmp"),
                ["ExportStudio__DemoData__Sessions"] = demoSessions.ToString(),
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                // The start-up warm-ups cost seconds a test process does not need; the benchmarks, which run
                // the app as deployed, and the test of the warm-ups themselves switch them on.
                ["ExportStudio__WarmUp"] = "false",
            },
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var app = new AppProcess(Process.Start(start)!, address);
        using var client = app.CreateClient();
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (app.HasExited)
            {
                throw new InvalidOperationException($"The app exited at start ({app._process.ExitCode}):\n{app.Output}");
            }
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        await app.DisposeAsync();
        throw new TimeoutException($"The app did not become healthy in 90 s:\n{app.Output}");
    }

    /// <summary>Ends the process the way a crash or an OOM kill does: SIGKILL, no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>Stops the process the way a service manager does: SIGTERM, then waits for it to shut down gracefully.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString()]))!)
        {
            await kill.WaitForExitAsync();
        }
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(wait.Token);
    }

    /// <summary>The most resident memory the process has had (VmHWM), in bytes.</summary>
    public long PeakMemoryBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
