using ZstdSharp.Unsafe;

namespace ExportStudio.Core.Compression.Archives;

/// <summary>How big a dictionary to train for a selection, and on how much of it.</summary>
/// <param name="Capacity">The dictionary's size at most.</param>
/// <param name="SampleBytes">The most sample bytes to train on.</param>
/// <param name="SegmentSize">fastcover's k: the length of the pieces the dictionary is made of.</param>
public sealed record DictionaryPlan(int Capacity, int SampleBytes, uint SegmentSize);

/// <summary>
/// Trains the dictionary of a per-session archive with zstd's fastcover trainer (the one its tool uses by
/// default, and the one ZstdSharp ports), once, with parameters chosen by measurement on realistic chat
/// sessions rather than by zstd's own parameter search (which trains on three quarters of the samples,
/// and came out larger and several times slower; figures in docs/benchmarks.md).
/// </summary>
public static class ZstdDictionaryTrainer
{
    /// <summary>zstd's trainer refuses fewer samples than this, and a handful of sessions share too little to learn from.</summary>
    public const int MinSamples = 8;

    public const int MinCapacity = 4 << 10;
    public const int MaxCapacity = 1 << 20;

    /// <summary>
    /// The plan for a selection of about <paramref name="estimatedBytes"/>: a dictionary of a 64th of the
    /// selection between 4 KiB and 1 MiB (where the total with the dictionary came out smallest on 300 to
    /// 12,000 sessions), trained on at most 32 times its size (more gained little and cost time), with
    /// pieces that grow with the dictionary (256 bytes for 128 KiB, 2 KiB for 1 MiB).
    /// </summary>
    public static DictionaryPlan PlanFor(long estimatedBytes)
    {
        var capacity = (int)Math.Clamp(estimatedBytes / 64, MinCapacity, MaxCapacity);
        var segment = (uint)Math.Clamp((long)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity) / 512, 64, 2048);
        return new DictionaryPlan(capacity, 32 * capacity, segment);
    }

    /// <summary>
    /// A dictionary trained on <paramref name="samples"/> for compression <paramref name="level"/>, or null
    /// when there is too little to train on. The trainer cannot be interrupted, so it runs on its own
    /// thread and a cancel returns at once; the trainer's remaining work (under a second) ends unobserved.
    /// </summary>
    public static async Task<ZstdDictionary?> TrainAsync(DictionarySamples samples, DictionaryPlan plan, int level, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (samples.Count < MinSamples)
        {
            return null;
        }
        var (count, bytes) = (samples.Count, (long)samples.Bytes);
        var sizes = samples.Sizes.Select(s => (nuint)s).ToArray();
        // The trainer keeps the buffer for as long as it runs, which may outlast a cancelled export.
        var buffer = samples.TakeBuffer();
        var training = Task.Run(() => Train(buffer, sizes, plan, level), CancellationToken.None);
        var content = await training.WaitAsync(cancellationToken);
        return content is null ? null : ZstdDictionary.Trained(content, count, bytes);
    }

    private static unsafe byte[]? Train(byte[] buffer, nuint[] sizes, DictionaryPlan plan, int level)
    {
        var parameters = new ZDICT_fastCover_params_t
        {
            k = plan.SegmentSize,
            d = 8,
            f = 20,
            accel = 1,
            zParams = new ZDICT_params_t { compressionLevel = level },
        };
        var dictionary = new byte[plan.Capacity];
        fixed (byte* dictionaryPointer = dictionary)
        fixed (byte* samplesPointer = buffer)
        fixed (nuint* sizesPointer = sizes)
        {
            var result = Methods.ZDICT_trainFromBuffer_fastCover(dictionaryPointer, (nuint)dictionary.Length, samplesPointer, sizesPointer, (uint)sizes.Length, parameters);
            // An error here means the samples were too few or too alike to learn from: the archive goes without.
            return Methods.ZDICT_isError(result) ? null : dictionary[..(int)result];
        }
    }
}
