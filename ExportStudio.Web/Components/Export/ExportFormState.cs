using System.Text.Json;

namespace ExportStudio.Web.Components.Export;

/// <summary>
/// The export form as the browser keeps it for this tab (sessionStorage), with the job it last started: a
/// reload, a dropped connection or a restarted server gives the same form back, and a running export
/// shows its progress again. Only choices are kept, never data; anything unreadable is ignored.
/// </summary>
public sealed record ExportFormState
{
    public const string StorageKey = "exportstudio.export-form";

    public List<string> Formats { get; init; } = [];
    public bool IncludeMessages { get; init; } = true;
    public bool IncludeMetadata { get; init; } = true;
    public bool IncludeToolCalls { get; init; } = true;
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public List<SessionSummary> Sessions { get; init; } = [];
    public List<string> Models { get; init; } = [];
    public List<string> Tags { get; init; } = [];
    public List<string> Sources { get; init; } = [];
    public string? Search { get; init; }
    public bool CompressionEnabled { get; init; }
    public string Card { get; init; } = "tar.gz";
    public int Level { get; init; }
    public string Layout { get; init; } = "document";
    public bool Dictionary { get; init; } = true;

    /// <summary>The export this tab started last; the page follows it again when it comes back.</summary>
    public Guid? JobId { get; init; }

    public static ExportFormState Of(ExportForm form, Guid? jobId) => new()
    {
        Formats = form.Formats.Select(f => f.GetWireName()).ToList(),
        IncludeMessages = form.IncludeMessages,
        IncludeMetadata = form.IncludeMetadata,
        IncludeToolCalls = form.IncludeToolCalls,
        From = form.From,
        To = form.To,
        Sessions = form.Sessions.ToList(),
        Models = form.Models.ToList(),
        Tags = form.Tags.ToList(),
        Sources = form.Sources.ToList(),
        Search = form.Search,
        CompressionEnabled = form.CompressionEnabled,
        Card = form.Card.GetWireName(),
        Level = form.Level,
        Layout = form.Layout.GetWireName(),
        Dictionary = form.Dictionary,
        JobId = jobId,
    };

    public void ApplyTo(ExportForm form)
    {
        form.SetFormats(Formats.Select(f => ExportFormatFacts.TryParseWireName(f, out var format) ? (ExportFormat?)format : null).OfType<ExportFormat>());
        (form.IncludeMessages, form.IncludeMetadata, form.IncludeToolCalls) = (IncludeMessages, IncludeMetadata, IncludeToolCalls);
        (form.From, form.To) = (From, To);
        form.Sessions = Sessions.ToList();
        (form.Models, form.Tags, form.Sources, form.Search) = (Models.ToList(), Tags.ToList(), Sources.ToList(), Search);
        form.SetLayout(ArchiveLayoutFacts.TryParseWireName(Layout, out var layout) ? layout : ArchiveLayout.Document);
        form.Dictionary = Dictionary;
        form.RestoreCompression(CompressionEnabled, CompressionFormatFacts.TryParseWireName(Card, out var card) ? card : CompressionFormat.TarGz, Level);
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    public static ExportFormState? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ExportFormState>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
