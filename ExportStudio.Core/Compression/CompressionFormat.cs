namespace ExportStudio.Core.Compression;

public enum CompressionFormat
{
    None,
    Zstd,
    TarGz,
    TarZst,
    Tar,
}

/// <summary>Every fact about a compression format, in one place: names, levels, extension, media type.</summary>
public static class CompressionFormatFacts
{
    public static IReadOnlyList<CompressionFormat> All { get; } =
        [CompressionFormat.None, CompressionFormat.Zstd, CompressionFormat.TarGz, CompressionFormat.TarZst, CompressionFormat.Tar];

    public static string GetWireName(this CompressionFormat format) => format switch
    {
        CompressionFormat.None => "none",
        CompressionFormat.Zstd => "zstd",
        CompressionFormat.TarGz => "tar.gz",
        CompressionFormat.TarZst => "tar.zst",
        CompressionFormat.Tar => "tar",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static bool TryParseWireName(string? value, out CompressionFormat format)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.GetWireName(), value, StringComparison.OrdinalIgnoreCase))
            {
                format = candidate;
                return true;
            }
        }
        format = default;
        return false;
    }

    public static string AllowedWireNames { get; } = string.Join(", ", All.Select(f => f.GetWireName()));

    /// <summary>True when the output is a tar archive (possibly compressed), i.e. it can hold several entries.</summary>
    public static bool IsArchive(this CompressionFormat format) =>
        format is CompressionFormat.Tar or CompressionFormat.TarGz or CompressionFormat.TarZst;

    /// <summary>Allowed levels, or null for formats without levels (none, tar).</summary>
    public static LevelRange? GetLevelRange(this CompressionFormat format) => format switch
    {
        CompressionFormat.Zstd or CompressionFormat.TarZst => new LevelRange(1, 22, 3),
        CompressionFormat.TarGz => new LevelRange(1, 9, 6),
        _ => null,
    };

    /// <summary>
    /// Stored-name suffix after <c>export_{id}</c> (see design.md). <paramref name="formatExtension"/> is the
    /// single export format's extension, or null when several formats are bundled into one archive.
    /// </summary>
    public static string GetFileSuffix(this CompressionFormat format, string? formatExtension) => format switch
    {
        CompressionFormat.None when formatExtension is not null => $".{formatExtension}",
        CompressionFormat.Zstd when formatExtension is not null => $".{formatExtension}.zst",
        CompressionFormat.TarGz when formatExtension is not null => $".{formatExtension}.tar.gz",
        CompressionFormat.TarGz => ".tar.gz",
        CompressionFormat.None or CompressionFormat.Zstd => throw new ArgumentException($"{format.GetWireName()} holds exactly one file; several formats need tar, tar.gz or tar.zst.", nameof(formatExtension)),
        CompressionFormat.TarZst => ".tar.zst",
        CompressionFormat.Tar => ".tar",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Media type of the stored file; null for none (the export format's own type applies).</summary>
    public static string? GetMediaType(this CompressionFormat format) => format switch
    {
        CompressionFormat.None => null,
        CompressionFormat.Zstd or CompressionFormat.TarZst => "application/zstd",
        CompressionFormat.TarGz => "application/gzip",
        CompressionFormat.Tar => "application/x-tar",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string GetDisplayName(this CompressionFormat format) => format switch
    {
        CompressionFormat.None => "None",
        _ => format.GetWireName(),
    };
}

/// <summary>The inclusive range of levels a compression format accepts, and its default.</summary>
public sealed record LevelRange(int Min, int Max, int Default)
{
    public bool Contains(int level) => level >= Min && level <= Max;

    public override string ToString() => $"{Min}-{Max}";
}
