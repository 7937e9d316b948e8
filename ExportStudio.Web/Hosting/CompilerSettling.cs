using System.Diagnostics;
using System.Runtime;

namespace ExportStudio.Web.Hosting;

/// <summary>
/// Waits for .NET's background compiler to finish what the warm-ups made hot. It promotes a method to fully
/// optimised code some time after the method became hot, one method after another: after the warm-ups some
/// 4,400 methods were still queued, and for the next two and a half seconds they were compiled on the cores
/// the first export or import after start-up ran on.
/// </summary>
internal static class CompilerSettling
{
    /// <summary>Settled once this long passes with at most <see cref="Stragglers"/> methods compiled.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>A start-up that never settles (a machine with no core to spare) goes on after this long.</summary>
    private static readonly TimeSpan AtMost = TimeSpan.FromSeconds(5);

    private const int Stragglers = 5;

    /// <returns>Whether the compiler settled (false: it was still busy after the longest wait).</returns>
    public static Task<bool> WaitAsync(ILogger logger, CancellationToken cancellationToken) =>
        WaitAsync(logger, () => JitInfo.GetCompiledMethodCount(), Quiet, AtMost, cancellationToken);

    /// <param name="compiledMethods">How many methods the process has compiled so far.</param>
    internal static async Task<bool> WaitAsync(ILogger logger, Func<long> compiledMethods, TimeSpan quiet, TimeSpan atMost, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var first = compiledMethods();
        var samples = new Queue<(long At, long Count)>([(started, first)]);
        while (Stopwatch.GetElapsedTime(started) < atMost)
        {
            await Task.Delay(Poll, cancellationToken);
            var now = Stopwatch.GetTimestamp();
            var count = compiledMethods();
            (long At, long Count)? quietAgo = null;
            while (samples.Count > 0 && Stopwatch.GetElapsedTime(samples.Peek().At, now) >= quiet)
            {
                quietAgo = samples.Dequeue();
            }
            if (quietAgo is { } then && count - then.Count <= Stragglers)
            {
                logger.LogInformation("The background compiler settled after the warm-ups in {Milliseconds:F0} ms ({Methods} methods).",
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, count - first);
                return true;
            }
            samples.Enqueue((now, count));
        }
        logger.LogInformation("The background compiler was still busy {Seconds:F0} s after the warm-ups; the app starts anyway.", atMost.TotalSeconds);
        return false;
    }
}
