using System.Diagnostics;

namespace ExportStudio.Tests.Support;

/// <summary>A size-limited tmpfs: a real full disk for the tests that need one (the suite runs as root; CI does).</summary>
public static class Tmpfs
{
    public static async Task MountAsync(string directory, string size)
    {
        var (code, error) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", directory);
        Assert.True(code == 0, $"The full-disk tests mount a {size} tmpfs and need root for it (CI runs as root): mount said {error}");
    }

    public static async Task UnmountAsync(string directory) => await RunAsync("umount", "-l", directory);

    /// <summary>Writes zeros into <paramref name="path"/> until the disk is full.</summary>
    public static async Task FillAsync(string path)
    {
        var block = new byte[64 * 1024];
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true)
            {
                await file.WriteAsync(block);
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }

    private static async Task<(int Code, string Error)> RunAsync(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }
}
