using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace ExportStudio.Core.Data;

/// <summary>
/// How the product's connections wait for SQLite's write lock, and how a long writer (an import) hands it
/// over. SQLite gives the lock to whichever waiting connection asks while it is free, and Microsoft.Data.Sqlite
/// asks again every 150 ms: behind a writer that commits and begins its next transaction within
/// microseconds, a waiting writer could wait for as long as that writer goes on. Every connection of the
/// product therefore waits in this busy handler instead, asking again every millisecond and at once when a
/// long writer commits, and each wait leaves a mark: a long writer that finds one commits at its next step
/// and stands aside until the waiters have taken the lock.
/// </summary>
public static partial class WriteLockHandOver
{
    /// <summary>A waiter asks again this often (or sooner, when woken by a hand-over).</summary>
    private const int PollMilliseconds = 1;

    /// <summary>Waiters that have not asked for this long have the lock (or gave up): the hand-over is done.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(3);

    private static readonly object Turn = new();
    private static long _lastWait;

    [ThreadStatic]
    private static long t_waitingSince;

    /// <summary>
    /// Makes <paramref name="connection"/> (open) wait in the handler, for its <see cref="SqliteConnection.DefaultTimeout"/>
    /// at most; after that SQLite reports the database busy, as it would have without the handler.
    /// </summary>
    public static unsafe void Install(SqliteConnection connection)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var result = sqlite3_busy_handler(handle.DangerousGetHandle(), &OnBusy, connection.DefaultTimeout * 1000);
        if (result != 0)
        {
            throw new InvalidOperationException($"SQLite refused the busy handler (result {result}).");
        }
    }

    /// <summary>A timestamp (<see cref="Stopwatch.GetTimestamp"/>) to compare later waits with.</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>Whether a connection has waited for the write lock since <paramref name="timestamp"/>.</summary>
    public static bool WaitedSince(long timestamp) => Volatile.Read(ref _lastWait) > timestamp;

    /// <summary>
    /// Called by a long writer right after it committed, when others waited: wakes them and waits (for
    /// <paramref name="atMost"/>) until none is asking any more, so that one of them holds the lock before
    /// the long writer asks again.
    /// </summary>
    public static void HandOver(TimeSpan atMost)
    {
        var started = Stopwatch.GetTimestamp();
        lock (Turn)
        {
            Monitor.PulseAll(Turn);
        }
        while (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastWait)) < Quiet && Stopwatch.GetElapsedTime(started) < atMost)
        {
            Thread.Sleep(PollMilliseconds);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnBusy(nint timeoutMilliseconds, int count)
    {
        try
        {
            var now = Stopwatch.GetTimestamp();
            if (count == 0)
            {
                t_waitingSince = now;
            }
            else if (timeoutMilliseconds > 0 && Stopwatch.GetElapsedTime(t_waitingSince, now).TotalMilliseconds >= timeoutMilliseconds)
            {
                return 0;
            }
            Volatile.Write(ref _lastWait, now);
            lock (Turn)
            {
                Monitor.Wait(Turn, PollMilliseconds);
            }
            return 1;
        }
        catch
        {
            // Nothing may unwind into SQLite: report the database busy instead.
            return 0;
        }
    }

    // The native library SQLitePCLRaw has loaded (its bundle), whose API has no busy handler of its own.
    [LibraryImport("e_sqlite3")]
    private static unsafe partial int sqlite3_busy_handler(nint database, delegate* unmanaged<nint, int, int> handler, nint argument);
}
