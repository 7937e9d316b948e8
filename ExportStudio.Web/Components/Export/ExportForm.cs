
namespace ExportStudio.Web.Components.Export;

/// <summary>Everything the export panel lets a person choose, and the request it makes.</summary>
public sealed class ExportForm
{
    public HashSet<ExportFormat> Formats { get; set; } = [ExportFormat.Json];
    public bool IncludeMessages { get; set; } = true;
    public bool IncludeMetadata { get; set; } = true;
    public bool IncludeToolCalls { get; set; } = true;

    public DateTime? From { get; set; }
    public DateTime? To { get; set; }
    public List<SessionSummary> Sessions { get; set; } = [];
    public IReadOnlyCollection<string> Models { get; set; } = [];
    public IReadOnlyCollection<string> Tags { get; set; } = [];
    public IReadOnlyCollection<string> Sources { get; set; } = [];
    public string? Search { get; set; }

    public bool CompressionEnabled { get; private set; }

    /// <summary>The chosen card: tar.gz or zstd (zstd becomes tar.zst when several formats are bundled).</summary>
    public CompressionFormat Card { get; private set; } = CompressionFormat.TarGz;

    public int Level { get; set; } = CompressionFormat.TarGz.GetLevelRange()!.Default;

    public bool IsBundle => Formats.Count > 1;

    /// <summary>One document per format, or one file per session (with a manifest) in a tar.</summary>
    public ArchiveLayout Layout { get; private set; } = ArchiveLayout.Document;

    /// <summary>The dictionary toggle: on by default, and only sent where it applies (per-session zstd).</summary>
    public bool Dictionary { get; set; } = true;

    /// <summary>Whether the dictionary toggle applies to the current choice: each session its own zstd frame.</summary>
    public bool DictionaryApplies => Layout.HasZstdEntries(EffectiveCompression);

    /// <summary>The format that will actually run, as the request normalises it.</summary>
    public CompressionFormat EffectiveCompression => ExportRequest.RunsAs(CompressionEnabled ? Card : CompressionFormat.None, IsBundle, Layout);

    /// <summary>Changing the layout can change the effective format (per session, zstd stays zstd): keep the level valid.</summary>
    public void SetLayout(ArchiveLayout layout)
    {
        var before = LevelRange;
        Layout = layout;
        if (LevelRange is { } range && (before != range || !range.Contains(Level)))
        {
            Level = range.Default;
        }
    }

    public LevelRange? LevelRange => EffectiveCompression.GetLevelRange();

    /// <summary>"Enable Compression": on → tar.gz, the default that opens everywhere without a tool.</summary>
    public void SetCompressionEnabled(bool enabled)
    {
        CompressionEnabled = enabled;
        if (enabled)
        {
            ChooseCard(CompressionFormat.TarGz);
        }
    }

    /// <summary>Choosing a card resets the level to that format's default: a level is never carried over or clamped.</summary>
    public void ChooseCard(CompressionFormat card)
    {
        Card = card == CompressionFormat.TarZst ? CompressionFormat.Zstd : card;
        Level = EffectiveCompression.GetLevelRange()?.Default ?? 0;
    }

    /// <summary>Adding or removing formats can change the effective format's range: keep the level valid by resetting it.</summary>
    public void SetFormats(IEnumerable<ExportFormat> formats)
    {
        var before = LevelRange;
        Formats = formats.ToHashSet();
        if (LevelRange is { } range && (before != range || !range.Contains(Level)))
        {
            Level = range.Default;
        }
    }

    /// <summary>"Use this": the recommended format with its default level, switching compression on or off as it needs.</summary>
    public void Apply(CompressionFormat recommended)
    {
        if (!recommended.IsCompressed())
        {
            SetCompressionEnabled(false);
            return;
        }
        CompressionEnabled = true;
        ChooseCard(recommended);
    }

    /// <summary>"Use this" for a per-session recommendation: its layout and dictionary as well as its format.</summary>
    public void Apply(CompressionRecommendation recommended)
    {
        SetLayout(recommended.Layout);
        Apply(recommended.Format);
        if (recommended.Layout == ArchiveLayout.PerSession)
        {
            Dictionary = recommended.Dictionary;
        }
    }

    /// <summary>Puts back the compression choice of a saved form; a level outside the format's range falls back to its default.</summary>
    public void RestoreCompression(bool enabled, CompressionFormat card, int level)
    {
        CompressionEnabled = enabled;
        ChooseCard(card is CompressionFormat.Zstd or CompressionFormat.TarZst ? CompressionFormat.Zstd : CompressionFormat.TarGz);
        if (LevelRange is { } range && range.Contains(level))
        {
            Level = level;
        }
    }

    public ExportRequest ToRequest() => new()
    {
        Formats = ExportFormatFacts.All.Where(Formats.Contains).ToList(),
        Filters = new ExportFilters
        {
            From = From is { } from ? DateTime.SpecifyKind(from.Date, DateTimeKind.Utc) : null,
            To = To is { } to ? DateTime.SpecifyKind(to.Date.AddDays(1).AddTicks(-1), DateTimeKind.Utc) : null,
            SessionIds = Sessions.Select(s => s.Id).ToList(),
            Models = Models.ToList(),
            Tags = Tags.ToList(),
            Sources = Sources.ToList(),
            Search = Search,
        },
        Options = new ExportOptions
        {
            IncludeMessages = IncludeMessages,
            IncludeMetadata = IncludeMetadata,
            IncludeToolCalls = IncludeToolCalls,
            CompressionFormat = CompressionEnabled ? Card : CompressionFormat.None,
            CompressionLevel = LevelRange is null ? null : Level,
            Layout = Layout,
            Dictionary = DictionaryApplies ? Dictionary : null,
        },
    };
}
