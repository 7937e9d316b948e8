using System.Collections.Frozen;

namespace ExportStudio.Core.Compression;

public enum CompressionFormat
{
    None,
    Zstd,
    TarGz,
    TarZst,
    Tar,
}

/// <summary>Every fact about a compression format, in one table: wire name, levels, media type, whether it is an archive.</summary>
public static class CompressionFormatFacts
{
    private sealed record Facts(string WireName, LevelRange? Levels, string? MediaType, bool IsArchive);

    private static readonly FrozenDictionary<CompressionFormat, Facts> Table = new Dictionary<CompressionFormat, Facts>
    {
        [CompressionFormat.None] = new("none", null, null, false),
        [CompressionFormat.Zstd] = new("zstd", new LevelRange(1, 22, 3), "application/zstd", false),
        [CompressionFormat.TarGz] = new("tar.gz", new LevelRange(1, 9, 6), "application/gzip", true),
        [CompressionFormat.TarZst] = new("tar.zst", new LevelRange(1, 22, 3), "application/zstd", true),
        [CompressionFormat.Tar] = new("tar", null, "application/x-tar", true),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, CompressionFormat> ByWireName =
        Table.ToFrozenDictionary(entry => entry.Value.WireName, entry => entry.Key, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<CompressionFormat> All { get; } =
        [CompressionFormat.None, CompressionFormat.Zstd, CompressionFormat.TarGz, CompressionFormat.TarZst, CompressionFormat.Tar];

    public static string AllowedWireNames { get; } = string.Join(", ", All.Select(f => f.GetWireName()));

    public static string GetWireName(this CompressionFormat format) => Of(format).WireName;

    public static bool TryParseWireName(string? value, out CompressionFormat format) => ByWireName.TryGetValue(value ?? "", out format);

    /// <summary>True when the output is a tar archive (possibly compressed), i.e. it can hold several entries.</summary>
    public static bool IsArchive(this CompressionFormat format) => Of(format).IsArchive;

    /// <summary>True when the stored bytes are a zstd frame (zstd, tar.zst).</summary>
    public static bool IsZstd(this CompressionFormat format) => format is CompressionFormat.Zstd or CompressionFormat.TarZst;

    /// <summary>True when the file has a compression layer to undo (zstd, tar.zst, tar.gz); none and tar are stored as they are.</summary>
    public static bool IsCompressed(this CompressionFormat format) => Of(format).Levels is not null;

    /// <summary>Allowed levels, or null for formats without levels (none, tar).</summary>
    public static LevelRange? GetLevelRange(this CompressionFormat format) => Of(format).Levels;

    /// <summary>Media type of the stored file; null for none (the export format's own type applies).</summary>
    public static string? GetMediaType(this CompressionFormat format) => Of(format).MediaType;

    private static Facts Of(CompressionFormat format) =>
        Table.TryGetValue(format, out var facts) ? facts : throw new ArgumentOutOfRangeException(nameof(format), format, null);
}

/// <summary>The inclusive range of levels a compression format accepts, and its default.</summary>
public sealed record LevelRange(int Min, int Max, int Default)
{
    public bool Contains(int level) => level >= Min && level <= Max;

    public override string ToString() => $"{Min}-{Max}";
}
