namespace ExportStudio.Core.Sessions;

/// <summary>Which sessions an export selects. Every filter is optional; all given filters must match.</summary>
public sealed record ExportFilters
{
    /// <summary>Inclusive lower bound on the session's creation time (UTC).</summary>
    public DateTime? From { get; init; }

    /// <summary>Inclusive upper bound on the session's creation time (UTC).</summary>
    public DateTime? To { get; init; }

    public IReadOnlyList<Guid> SessionIds { get; init; } = [];
    public IReadOnlyList<string> Models { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Where sessions came from (<c>chatgpt</c>, <c>claude</c>, … as imported): any of them matches.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Text searched in titles and message content, case-insensitive in every script (see <see cref="Data.TextFolding"/>).</summary>
    public string? Search { get; init; }

    public static ExportFilters None { get; } = new();

    /// <summary>True when no filter is given: every session is selected.</summary>
    public bool SelectsEverything =>
        From is null && To is null && SessionIds.Count == 0 && Models.Count == 0 && Tags.Count == 0 && Sources.Count == 0 && string.IsNullOrWhiteSpace(Search);
}
