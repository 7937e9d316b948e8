using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>
/// The real ExportStudio web app as its own process, on a free loopback port, so its peak memory is the
/// app's alone (read from /proc/PID/status VmHWM while it still runs).
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    /// <param name="appDirectory">The app's published (or built) files; the benchmark's own output folder by default.</param>
    public static async Task<AppProcess> StartAsync(string databasePath, string exportDirectory, string? appDirectory = null, IDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(appDirectory ?? AppContext.BaseDirectory, "ExportStudio.Web.dll"), "--urls", address.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(exportDirectory)!,
            Environment =
            {
                ["ExportStudio__DatabasePath"] = databasePath,
                ["ExportStudio__ExportDirectory"] = exportDirectory,
                ["ExportStudio__DemoData__Sessions"] = "0",
                ["ExportStudio__MaxExportBytes"] = (20L << 30).ToString(),
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start ExportStudio.Web.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("  app: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var app = new AppProcess(process, address);
        using var client = new HttpClient { BaseAddress = address };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"ExportStudio.Web exited at start with code {process.ExitCode}.");
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
        throw new TimeoutException("ExportStudio.Web did not become healthy within 60 s.");
    }

    /// <summary>The most resident memory the process has had (VmHWM), in bytes.</summary>
    public long PeakWorkingSet()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }
        }
        throw new InvalidOperationException("VmHWM not found in /proc status.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
