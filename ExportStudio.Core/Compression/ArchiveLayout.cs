using System.Collections.Frozen;

namespace ExportStudio.Core.Compression;

/// <summary>How an export's sessions are laid out in its file.</summary>
public enum ArchiveLayout
{
    /// <summary>One document per format holding every session (the default).</summary>
    Document,

    /// <summary>
    /// One small document per session and format (<c>sessions/{id}.{ext}</c>) in a tar, with a
    /// <c>manifest.json</c> first that says where each one is, so one session can be read without the others.
    /// </summary>
    PerSession,
}

public static class ArchiveLayoutFacts
{
    private static readonly FrozenDictionary<ArchiveLayout, string> WireNames = new Dictionary<ArchiveLayout, string>
    {
        [ArchiveLayout.Document] = "document",
        [ArchiveLayout.PerSession] = "per-session",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, ArchiveLayout> ByWireName =
        WireNames.ToFrozenDictionary(entry => entry.Value, entry => entry.Key, StringComparer.OrdinalIgnoreCase);

    public static string AllowedWireNames { get; } = string.Join(", ", WireNames.Values);

    public static string GetWireName(this ArchiveLayout layout) =>
        WireNames.TryGetValue(layout, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(layout), layout, null);

    public static bool TryParseWireName(string? value, out ArchiveLayout layout) => ByWireName.TryGetValue(value ?? "", out layout);

    /// <summary>
    /// True when each session is its own zstd frame inside a plain tar: the per-session layout with zstd.
    /// Its stored file is a tar (not a zstd frame), and its entries need zstd (and the dictionary, if any).
    /// </summary>
    public static bool HasZstdEntries(this ArchiveLayout layout, CompressionFormat compression) =>
        layout == ArchiveLayout.PerSession && compression == CompressionFormat.Zstd;
}
