using ZstdSharp;
using ZstdSharp.Unsafe;

namespace ExportStudio.Core.Compression.Archives;

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

    /// <summary>Original bytes over frame bytes when each sample is compressed as a frame of its own with <paramref name="dictionary"/>.</summary>
    public static double RatioOn(DictionarySamples samples, ZstdDictionary dictionary, int level)
    {
        using var frames = new DictionaryFrames(level, dictionary);
        long original = 0, stored = 0, at = 0;
        var buffer = samples.Buffer;
        foreach (var size in samples.Sizes)
        {
            stored += frames.Compress(buffer.Slice((int)at, size)).Length;
            original += size;
            at += size;
        }
        return stored == 0 ? 0 : (double)original / stored;
    }

    public void Dispose() => _compressor.Dispose();
}
