using ExportStudio.Core.Compression;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Exporting;

/// <summary>
/// One export, as asked for: the formats, which sessions, what to include and how to compress.
/// Validated once at the edge (<see cref="Validate"/>), then trusted by the pipeline. The one place where a
/// request is normalised: the export panel, the estimator and the recommender ask it what will run.
/// </summary>
public sealed record ExportRequest
{
    public required IReadOnlyList<ExportFormat> Formats { get; init; }
    public ExportFilters Filters { get; init; } = ExportFilters.None;
    public ExportOptions Options { get; init; } = new();

    public bool IsBundle => Formats.Distinct().Count() > 1;

    /// <summary>
    /// The compression that runs for <paramref name="chosen"/>. Several files always make one archive: with
    /// several formats none becomes tar and zstd becomes tar.zst; per session, none becomes tar and zstd
    /// stays zstd, one frame per session inside a tar. A single document runs as chosen.
    /// </summary>
    public static CompressionFormat RunsAs(CompressionFormat chosen, bool bundle, ArchiveLayout layout = ArchiveLayout.Document) => (layout, bundle, chosen) switch
    {
        (ArchiveLayout.PerSession, _, CompressionFormat.None) => CompressionFormat.Tar,
        (ArchiveLayout.PerSession, _, _) => chosen,
        (_, true, CompressionFormat.None) => CompressionFormat.Tar,
        (_, true, CompressionFormat.Zstd) => CompressionFormat.TarZst,
        _ => chosen,
    };

    /// <summary>The compression this request runs with (see <see cref="RunsAs"/>).</summary>
    public CompressionFormat EffectiveCompression => RunsAs(Options.CompressionFormat, IsBundle, Options.Layout);

    /// <summary>
    /// The request as it will run: the archive rule above; a compression format with levels gets its default
    /// level when none was given; the dictionary is on for per-session zstd unless turned off, and off for
    /// everything else (but a single zstd document where one is asked for: a schedule's small runs); filters are trimmed and de-duplicated.
    /// </summary>
    public ExportRequest Normalize()
    {
        var compression = EffectiveCompression;
        var range = compression.GetLevelRange();
        return this with
        {
            Formats = Formats.Distinct().ToList(),
            Options = Options with
            {
                CompressionFormat = compression,
                CompressionLevel = range is null ? null : Options.CompressionLevel ?? range.Default,
                Dictionary = Options.Layout.HasZstdEntries(compression) ? Options.Dictionary ?? true : Options.Dictionary == true && SingleZstdDocument(compression),
            },
            Filters = Filters with
            {
                Search = string.IsNullOrWhiteSpace(Filters.Search) ? null : Filters.Search.Trim(),
                Models = Filters.Models.Where(m => !string.IsNullOrWhiteSpace(m)).Distinct().ToList(),
                Tags = Filters.Tags.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct().ToList(),
                Sources = Filters.Sources.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim().ToLowerInvariant()).Distinct().ToList(),
                SessionIds = Filters.SessionIds.Distinct().ToList(),
            },
        };
    }

    /// <summary>One document (one format) compressed as a single zstd frame: what a schedule's kept dictionary can compress too.</summary>
    private bool SingleZstdDocument(CompressionFormat compression) =>
        Options.Layout == ArchiveLayout.Document && compression == CompressionFormat.Zstd && Formats.Distinct().Count() == 1;

    /// <summary>
    /// Every problem with the request, by field (API names), each a sentence a person can act on.
    /// Session ids that do not exist are checked against the database when the job is created.
    /// </summary>
    /// <param name="recurring">A schedule's export: a single zstd document may ask for the schedule's kept dictionary.</param>
    public IReadOnlyDictionary<string, string[]> Validate(int maxFormats, bool recurring = false)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message) =>
            (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        if (Formats.Count == 0)
        {
            Add("formats", $"Choose at least one format: {ExportFormatFacts.AllowedWireNames}.");
        }
        else if (Formats.Count > maxFormats)
        {
            Add("formats", $"{Formats.Count} formats were asked for; at most {maxFormats} fit in one export.");
        }
        foreach (var duplicate in Formats.GroupBy(f => f).Where(g => g.Count() > 1))
        {
            Add("formats", $"{duplicate.Key.GetWireName()} is listed {duplicate.Count()} times; list each format once.");
        }

        // Levels are checked against the format that will actually run (several formats + zstd → tar.zst).
        // A level sent with none or tar is ignored, as the API's own example body sends one, never an error.
        if (!CompressionLevels.TryValidate(EffectiveCompression, Options.CompressionLevel, out var levelError))
        {
            Add("options.compressionLevel", levelError!);
        }
        if (Options.Dictionary == true && !Options.Layout.HasZstdEntries(EffectiveCompression) && !(recurring && SingleZstdDocument(EffectiveCompression)))
        {
            Add("options.dictionary",
                "A dictionary is for per-session zstd archives (each session its own zstd frame), and for a schedule's single zstd document: set options.layout to per-session and " +
                $"options.compressionFormat to zstd, or leave the dictionary out (this request runs as {EffectiveCompression.GetWireName()}, layout {Options.Layout.GetWireName()}).");
        }

        if (Filters.From is { } from && Filters.To is { } to && from > to)
        {
            Add("filters.from", $"The date range starts ({from:yyyy-MM-ddTHH:mm:ssZ}) after it ends ({to:yyyy-MM-ddTHH:mm:ssZ}); 'from' must not be later than 'to'.");
        }
        if (Filters.Search is { Length: > 500 })
        {
            Add("filters.search", $"The search text is {Filters.Search.Length} characters; at most 500 are allowed.");
        }
        if (Filters.SessionIds.Count > 10_000)
        {
            Add("filters.sessionIds", $"{Filters.SessionIds.Count} session ids were given; at most 10000 are allowed (use filters to select more).");
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
