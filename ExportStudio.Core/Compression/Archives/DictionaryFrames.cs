using ZstdSharp;
using ZstdSharp.Unsafe;

namespace ExportStudio.Core.Compression.Archives;

/// <summary>
/// How well a dictionary fits some documents: <paramref name="Ratio"/> is original over compressed bytes
/// with it, <paramref name="Gain"/> is compressed bytes without it over compressed bytes with it — what the
/// dictionary itself adds, which (unlike the ratio) does not move with how compressible the documents are.
/// </summary>
public readonly record struct DictionaryFit(double Ratio, double Gain)
{
    public static DictionaryFit Of(long originalBytes, long plainBytes, long dictionaryBytes) =>
        dictionaryBytes == 0 ? new(0, 0) : new((double)originalBytes / dictionaryBytes, (double)plainBytes / dictionaryBytes);
}

/// <summary>
/// Whole zstd frames made in one call, as the product makes them for small documents (content checksum,
/// content size in the header, and the dictionary's id when there is one), and the ratio a dictionary gets
/// on a set of documents measured the same way: each document its own frame.
/// </summary>
public sealed class DictionaryFrames : IDisposable
{
    private readonly Compressor _compressor;
    private byte[] _buffer = [];

    public DictionaryFrames(int level, ZstdDictionary? dictionary)
    {
        _compressor = new Compressor(level);
        _compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        if (dictionary is not null)
        {
            _compressor.LoadDictionary(dictionary.Content);
        }
    }

    /// <summary>The frame of <paramref name="content"/>; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Compress(ReadOnlySpan<byte> content)
    {
        var bound = Compressor.GetCompressBound(content.Length);
        if (_buffer.Length < bound)
        {
            _buffer = new byte[Math.Max(bound, 2 * _buffer.Length)];
        }
        return _buffer.AsMemory(0, _compressor.Wrap(content, _buffer));
    }

    /// <summary>How well <paramref name="dictionary"/> fits <paramref name="samples"/>, each compressed as a frame of its own with it and without.</summary>
    public static DictionaryFit Measure(DictionarySamples samples, ZstdDictionary dictionary, int level)
    {
        using var with = new DictionaryFrames(level, dictionary);
        using var without = new DictionaryFrames(level, null);
        long original = 0, stored = 0, plain = 0, at = 0;
        var buffer = samples.Buffer;
        foreach (var size in samples.Sizes)
        {
            var sample = buffer.Slice((int)at, size);
            stored += with.Compress(sample).Length;
            plain += without.Compress(sample).Length;
            original += size;
            at += size;
        }
        return DictionaryFit.Of(original, plain, stored);
    }

    public void Dispose() => _compressor.Dispose();
}
