using System.Runtime.CompilerServices;
using System.Text.Json;
using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>How a document holds its records: the elements of one top-level array, or top-level values one after another (JSON Lines, or a lone object).</summary>
public enum JsonLayout
{
    Array,
    Values,
}

/// <summary>One record of a document: its number (from 1) and its JSON, valid until the next record is read.</summary>
public readonly record struct JsonRecord(int Number, JsonElement Element, JsonLayout Layout);

/// <summary>
/// Reads the records of a JSON document one at a time, whatever its size: the elements of a top-level array
/// (a ChatGPT or Claude <c>conversations.json</c> can be a gigabyte on one line) or the values of JSON Lines.
/// Only the record being read is in memory: its bytes are found with <see cref="Utf8JsonReader"/> over a
/// pooled window of the stream that grows, up to <see cref="MaxRecordBytes"/>, when one record fills it.
/// </summary>
public static class JsonRecordReader
{
    public const int MaxRecordBytes = 256 << 20;
    private const int InitialBuffer = 1 << 20;

    public static async IAsyncEnumerable<JsonRecord> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var scanner = new JsonRecordScanner();
        var window = new ByteWindow(InitialBuffer);
        try
        {
            var final = false;
            var needMore = true;
            while (true)
            {
                if (needMore && !final)
                {
                    final = await window.FillAsync(stream, scanner.Number, cancellationToken);
                }
                var (consumed, document, done) = scanner.Next(window.Data, final, window.Offset);
                window.Consume(consumed);
                if (document is not null)
                {
                    try
                    {
                        yield return new JsonRecord(scanner.Number, document.RootElement, scanner.Layout);
                    }
                    finally
                    {
                        document.Dispose();
                    }
                    needMore = false;
                    continue;
                }
                if (done)
                {
                    yield break;
                }
                needMore = true;
            }
        }
        finally
        {
            window.Dispose();
        }
    }

    /// <summary>The unread bytes of a pooled buffer, filled as far as it goes on each read (so a long record is scanned again only when the buffer grows).</summary>
    private sealed class ByteWindow(int size) : IDisposable
    {
        private byte[] _array = LargeBuffers.Pool.Rent(size);
        private int _start;
        private int _end;

        /// <summary>Bytes of the stream consumed before <see cref="Data"/>.</summary>
        public long Offset { get; private set; }

        public ReadOnlySpan<byte> Data => _array.AsSpan(_start, _end - _start);

        public void Consume(int count)
        {
            _start += count;
            Offset += count;
        }

        /// <summary>Reads until the buffer is full or the stream ends; returns whether it ended.</summary>
        public async Task<bool> FillAsync(Stream stream, int recordsRead, CancellationToken cancellationToken)
        {
            _array.AsSpan(_start, _end - _start).CopyTo(_array);
            (_end, _start) = (_end - _start, 0);
            if (_end == _array.Length)
            {
                Grow(recordsRead);
            }
            while (_end < _array.Length)
            {
                var read = await stream.ReadAsync(_array.AsMemory(_end), cancellationToken);
                if (read == 0)
                {
                    return true;
                }
                _end += read;
            }
            return false;
        }

        private void Grow(int recordsRead)
        {
            if (_array.Length >= MaxRecordBytes)
            {
                throw new ImportFormatException($"Record #{recordsRead + 1} of the file is larger than {MaxRecordBytes / (1 << 20)} MB; records that large cannot be imported.");
            }
            var grown = LargeBuffers.Pool.Rent(Math.Min(_array.Length * 2, MaxRecordBytes));
            _array.AsSpan(0, _end).CopyTo(grown);
            LargeBuffers.Pool.Return(_array);
            _array = grown;
        }

        public void Dispose() => LargeBuffers.Pool.Return(_array);
    }
}
