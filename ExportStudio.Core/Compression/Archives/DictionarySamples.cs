using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Compression.Archives;

/// <summary>
/// What a dictionary is trained on: whole documents, one after another in one buffer (the trainer's own
/// input shape, so nothing is copied again), each cut at 128 KB as zstd's own trainer cuts its files.
/// Spread evenly over a selection by thinning: when the budget is passed, every other sample goes.
/// </summary>
public sealed class DictionarySamples : IDisposable
{
    /// <summary>zstd's tool cuts each training file there too: a dictionary is about what starts documents, not their bulk.</summary>
    public const int MaxSampleBytes = 128 << 10;

    private byte[] _buffer = LargeBuffers.Pool.Rent(1 << 20);
    private readonly List<int> _sizes = [];
    private readonly List<int> _documentSizes = [];

    public int Count => _sizes.Count;

    /// <summary>The bytes the samples hold (documents cut at <see cref="MaxSampleBytes"/>).</summary>
    public int Bytes { get; private set; }

    /// <summary>The whole documents' mean size, uncut: what the selection's sessions are like.</summary>
    public double MeanDocumentBytes => Count == 0 ? 0 : _documentSizes.Average();

    internal ReadOnlySpan<byte> Buffer => _buffer.AsSpan(0, Bytes);
    internal IReadOnlyList<int> Sizes => _sizes;

    public void Add(ReadOnlySpan<byte> document)
    {
        var sample = document[..Math.Min(document.Length, MaxSampleBytes)];
        if (Bytes + sample.Length > _buffer.Length)
        {
            var grown = LargeBuffers.Pool.Rent(Math.Max(_buffer.Length * 2, Bytes + sample.Length));
            _buffer.AsSpan(0, Bytes).CopyTo(grown);
            if (_buffer.Length > 0)
            {
                LargeBuffers.Pool.Return(_buffer);
            }
            _buffer = grown;
        }
        sample.CopyTo(_buffer.AsSpan(Bytes));
        Bytes += sample.Length;
        _sizes.Add(sample.Length);
        _documentSizes.Add(document.Length);
    }

    /// <summary>
    /// Keeps the samples at even positions, so what is left still spans the selection evenly; samples come
    /// in groups of <paramref name="groupSize"/> (a session's documents in each format) kept or dropped together.
    /// </summary>
    public void KeepEveryOther(int groupSize = 1)
    {
        int from = 0, to = 0, kept = 0;
        for (var i = 0; i < _sizes.Count; i++)
        {
            var size = _sizes[i];
            if (i / groupSize % 2 == 0)
            {
                _buffer.AsSpan(from, size).CopyTo(_buffer.AsSpan(to));
                to += size;
                _sizes[kept] = size;
                _documentSizes[kept++] = _documentSizes[i];
            }
            from += size;
        }
        _sizes.RemoveRange(kept, _sizes.Count - kept);
        _documentSizes.RemoveRange(kept, _documentSizes.Count - kept);
        Bytes = to;
    }

    /// <summary>A copy of at most <paramref name="max"/> of the samples, spread evenly: enough to measure a dictionary on, kept apart from the trainer's buffer.</summary>
    public DictionarySamples Spread(int max)
    {
        var copy = new DictionarySamples();
        var stride = Math.Max(1, (Count + max - 1) / max);
        var at = 0;
        for (var i = 0; i < Count; i++)
        {
            if (i % stride == 0)
            {
                copy.Add(_buffer.AsSpan(at, _sizes[i]));
            }
            at += _sizes[i];
        }
        return copy;
    }

    /// <summary>Hands the buffer over (to a trainer that may outlive these samples); the samples are empty afterwards.</summary>
    internal byte[] TakeBuffer()
    {
        var buffer = _buffer;
        _buffer = [];
        _sizes.Clear();
        _documentSizes.Clear();
        Bytes = 0;
        return buffer;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            LargeBuffers.Pool.Return(_buffer);
            _buffer = [];
        }
    }
}
