using System.Diagnostics;

namespace ExportStudio.Tests.Support;

/// <summary>Runs a real command-line tool (zstd, gzip, tar, …) and fails the test with its stderr when it fails.</summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(string tool, IEnumerable<string> arguments, bool allowFailure = false, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{tool}'; is it installed? (./test.sh installs it)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var result = new Result(process.ExitCode, await output, await error);
        if (!allowFailure && result.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"{tool} {string.Join(' ', start.ArgumentList)} exited {result.ExitCode}: {result.StandardError}");
        }
        return result;
    }
}
