using System.Runtime.CompilerServices;
using ExportStudio.Core.Compression.Streams;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// Reads sessions back from a JSON export document (version 1) or JSON Lines, streaming: one session is in
/// memory at a time, however large the file. Which of the two it is shows in the first object's first
/// property: a document starts with its header ("version", …), a JSON Lines file with a session ("id", …).
/// </summary>
public static class ExportStudioDocumentReader
{
    private const int InitialBuffer = 1 << 20;
    private const int MaxSessionBytes = 256 << 20;
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    /// <param name="increment">Told what an incremental export says it holds, when the file says so.</param>
    public static async IAsyncEnumerable<ChatSession> ReadSessionsAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default,
        Action<ExportIncrement>? increment = null)
    {
        var parser = new ExportStudioDocumentParser();
        var buffer = new Window(LargeBuffers.Pool.Rent(InitialBuffer));
        try
        {
            var final = false;
            var sessions = new List<ChatSession>();
            while (true)
            {
                if (!final)
                {
                    buffer.MakeRoom(parser.SessionNumber);
                    var read = await stream.ReadAsync(buffer.Free, cancellationToken);
                    buffer.End += read;
                    final = read == 0;
                }
                if (parser.BytesBefore == 0 && buffer.Start == 0 && buffer.Data.StartsWith(ByteOrderMark))
                {
                    buffer.Start = ByteOrderMark.Length; // from editors on some systems
                    parser.BytesBefore = ByteOrderMark.Length;
                }

                var seen = parser.Increment;
                var consumed = parser.Parse(buffer.Data, final, sessions);
                if (parser.Increment is { } found && seen is null)
                {
                    increment?.Invoke(found);
                }
                parser.BytesBefore += consumed;
                buffer.Start += consumed;
                foreach (var session in sessions)
                {
                    yield return session;
                }
                sessions.Clear();
                if (parser.Done)
                {
                    yield break;
                }
                if (final)
                {
                    parser.CheckComplete();
                    yield break;
                }
            }
        }
        finally
        {
            LargeBuffers.Pool.Return(buffer.Array);
        }
    }

    /// <summary>The unparsed bytes of a pooled buffer that grows, up to the largest session allowed, when one value fills it.</summary>
    private sealed class Window(byte[] array)
    {
        public byte[] Array { get; private set; } = array;
        public int Start { get; set; }
        public int End { get; set; }
        public ReadOnlySpan<byte> Data => Array.AsSpan(Start, End - Start);
        public Memory<byte> Free => Array.AsMemory(End);

        public void MakeRoom(int sessionsRead)
        {
            if (Start > 0)
            {
                Array.AsSpan(Start, End - Start).CopyTo(Array);
                End -= Start;
                Start = 0;
            }
            if (End < Array.Length)
            {
                return;
            }
            if (Array.Length >= MaxSessionBytes)
            {
                throw new ImportFormatException($"Session #{sessionsRead + 1} is larger than {MaxSessionBytes / (1 << 20)} MB; sessions that large cannot be imported.");
            }
            var grown = LargeBuffers.Pool.Rent(Array.Length * 2);
            Array.AsSpan(0, End).CopyTo(grown);
            LargeBuffers.Pool.Return(Array);
            Array = grown;
        }
    }
}
