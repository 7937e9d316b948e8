using ExportStudio.Core.Compression.Archives;

namespace ExportStudio.Core.Exporting.Pipeline;

/// <summary>A schedule's dictionary as a run receives it: the dictionary, and what it is held against.</summary>
public sealed record KeptDictionary(Guid Id, ZstdDictionary Dictionary, double TrainedRatio, DateTime CreatedAt);

/// <summary>
/// What a run compressed with a dictionary: the dictionary, the schedule's row when it was a kept one
/// (null for one trained here and not yet kept), whether this run trained it, and the ratio it got.
/// </summary>
public sealed record DictionaryUse(ZstdDictionary Dictionary, Guid? KeptId, bool Trained, double Ratio);

/// <summary>
/// When a schedule's kept dictionary is used again and when a run trains a fresh one. Measured on demo
/// sessions (docs/architecture.md, "Kept dictionaries"): runs of unchanged or growing data landed within
/// 3% of the ratio at training, while data unlike the training sample fell by 15% and more; 10% lies
/// clearly between the two, so noise never retrains and a real change always does.
/// </summary>
public static class DictionaryReuse
{
    /// <summary>A run that gets less than this much below the training ratio trains a fresh dictionary.</summary>
    public const double MaxDecay = 0.10;

    /// <summary>
    /// Retrained after this long whatever the ratio says: a dictionary learned what sessions started with
    /// when it was trained, and a monthly retrain costs a small run well under a second.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    /// <summary>
    /// A single-document zstd run of a schedule uses the dictionary only when its document is at most this
    /// large: past it the document's own history gives zstd what a dictionary would (the gain measured
    /// below 5% from here on), and the document is streamed without buffering.
    /// </summary>
    public const int SmallDocumentBytes = 128 << 10;

    /// <summary>Why <paramref name="kept"/> should be replaced given the ratio measured now, or null when it still fits.</summary>
    public static string? WhyRetrain(KeptDictionary kept, double measuredRatio, DateTime now) =>
        now - kept.CreatedAt > MaxAge ? $"it is older than {MaxAge.TotalDays:0} days"
        : measuredRatio < kept.TrainedRatio * (1 - MaxDecay) ? $"its ratio fell from {kept.TrainedRatio:0.00} to {measuredRatio:0.00}"
        : null;
}
