using System.Buffers;

namespace ExportStudio.Core.Compression.Streams;

/// <summary>
/// The pool for the product's large buffers (text chunks, codec blocks, copy buffers of a MiB or so).
/// The shared pool keeps one array of each size in every thread that returns one, and work on the thread
/// pool returns them on many threads: after the start-up warm-up it held some 40 MB that no export used
/// again, resident for good. This pool keeps a bounded number of each size, whichever thread returns them.
/// </summary>
internal static class LargeBuffers
{
    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(maxArrayLength: 16 << 20, maxArraysPerBucket: 16);
}
