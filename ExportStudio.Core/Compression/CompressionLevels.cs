namespace ExportStudio.Core.Compression;

/// <summary>The level rules: a level outside its format's range is an error naming the range, never clamped.</summary>
public static class CompressionLevels
{
    /// <summary>The level to use: the given one when valid, the format's default when none is given; null for formats without levels.</summary>
    public static int? Resolve(CompressionFormat format, int? level)
    {
        if (!TryValidate(format, level, out var error))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, error);
        }
        return format.GetLevelRange() is { } range ? level ?? range.Default : null;
    }

    /// <summary>
    /// False, with a sentence naming the allowed range, when the level is outside it. A level given for a
    /// format without levels (none, tar) is ignored, as the API's own example body sends one.
    /// </summary>
    public static bool TryValidate(CompressionFormat format, int? level, out string? error)
    {
        error = null;
        if (level is { } value && format.GetLevelRange() is { } range && !range.Contains(value))
        {
            error = $"Compression level {value} is out of range for {format.GetWireName()}: allowed levels are {range}.";
        }
        return error is null;
    }
}
