using System.Runtime.InteropServices;

namespace ExportStudio.Core.Compression;

/// <summary>
/// Gives the C heap's free memory back to the system after a large piece of work. The codecs' workers and
/// SQLite allocate their buffers with malloc on many threads; glibc keeps what they free in per-thread
/// arenas, so without this the process's resident memory grows with every export and never comes down.
/// </summary>
public static class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    public static void Trim()
    {
        if (_unavailable)
        {
            return;
        }
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true; // not glibc (musl, for one): nothing to trim this way
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
