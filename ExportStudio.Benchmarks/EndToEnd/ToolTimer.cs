using System.Diagnostics;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>
/// Times a command-line tool on files, through the shell so the tool reads and writes files itself
/// (no .NET pipe copying on its side of the comparison).
/// </summary>
internal static class ToolTimer
{
    public static async Task<TimeSpan> RunAsync(string commandLine)
    {
        var start = new ProcessStartInfo("bash", ["-c", commandLine]) { RedirectStandardError = true };
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {commandLine}.");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        stopwatch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{commandLine}' failed ({process.ExitCode}): {error}");
        }
        return stopwatch.Elapsed;
    }

    public static string Quote(string path) => "'" + path.Replace("'", "'\\''") + "'";

    public static bool Exists(string tool) =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));
}
