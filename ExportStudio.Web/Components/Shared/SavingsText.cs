
namespace ExportStudio.Web.Components.Shared;

/// <summary>"(87% smaller)": how the pages speak of what compression saved, from the one savings rule.</summary>
public static class SavingsText
{
    /// <summary>The note after a compressed size; empty where there is no compression to speak of (none, tar) or nothing to compare.</summary>
    public static string Smaller(CompressionFormat compression, long? original, long? stored) =>
        compression.IsCompressed() && original is > 0 && stored is { } bytes
            ? $"({Savings.Percent(original.Value, bytes):0}% smaller)"
            : "";
}
