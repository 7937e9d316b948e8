namespace ExportStudio.Core.Exporting.Planning;

/// <summary>What the person's machine can do: Windows has no built-in .zst support; some browsers decode zstd themselves.</summary>
public sealed record ClientEnvironment(bool IsWindows, bool AcceptsZstd)
{
    public static ClientEnvironment Unknown { get; } = new(false, false);

    public static ClientEnvironment From(string? userAgent, string? acceptEncoding) => new(
        userAgent?.Contains("Windows", StringComparison.OrdinalIgnoreCase) == true,
        AcceptEncoding.Allows(acceptEncoding, "zstd"));
}

/// <summary>The one reading of an <c>Accept-Encoding</c> header, for the recommendation and the downloads alike.</summary>
public static class AcceptEncoding
{
    /// <summary>
    /// True when <paramref name="header"/> lists <paramref name="coding"/> (or <c>*</c>) with a quality above
    /// zero: <c>zstd;q=0</c> is an explicit refusal, and an explicit entry wins over the wildcard.
    /// </summary>
    public static bool Allows(string? header, string coding)
    {
        double? wildcard = null;
        foreach (var part in (header ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            var quality = Quality(pieces.Skip(1));
            if (pieces[0].Equals(coding, StringComparison.OrdinalIgnoreCase))
            {
                return quality > 0;
            }
            if (pieces[0] == "*")
            {
                wildcard = quality;
            }
        }
        return wildcard > 0;
    }

    private static double Quality(IEnumerable<string> parameters)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
            {
                return double.TryParse(parameter.AsSpan(2), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q) ? q : 0;
            }
        }
        return 1;
    }
}
