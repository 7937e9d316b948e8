using System.Runtime.CompilerServices;
using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// ExportStudio's own exports — the version-1 document and JSON Lines — read by
/// <see cref="ExportStudioDocumentReader"/> exactly as written, so an export imported elsewhere exports
/// the same again. A session that came into ExportStudio from another source says so in its metadata and
/// keeps that source.
/// </summary>
internal sealed class ExportStudioSource : IImportSource
{
    public string Name => "exportstudio";

    public string Description => "ExportStudio's own JSON or JSON Lines export, plain or compressed, or a tar of them";

    /// <summary>
    /// A document starts with its header; a JSON Lines file with a session, whose camelCase times no other
    /// source writes, or (an incremental run's) with its increment line — as does a bundle's increment.json.
    /// </summary>
    public bool Recognizes(JsonSniff sniff) =>
        sniff.Top == JsonValueKind.Object &&
        (sniff.Generator == "ExportStudio" || (sniff.Keys.Count > 0 && (ExportStudioDocumentParser.DocumentKeys.Contains(sniff.Keys[0]) || sniff.Keys[0] == "increment")) ||
         (sniff.Has("id") && sniff.Has("createdAt") && !sniff.Has("conversationId")));

    public async IAsyncEnumerable<ChatSession> ReadAsync(Stream document, ImportContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var session in ExportStudioDocumentReader.ReadSessionsAsync(document, cancellationToken, context.Increment))
        {
            session.Source = KindOf(session.MetadataJson) ?? Name;
            yield return session;
        }
    }

    /// <summary><c>metadata.source.kind</c>, which an imported session carries from wherever it first came from.</summary>
    private static string? KindOf(string metadata)
    {
        if (!metadata.Contains("\"source\"", StringComparison.Ordinal))
        {
            return null;
        }
        using var parsed = JsonDocument.Parse(metadata);
        return parsed.RootElement.Property("source").String("kind") is { Length: > 0 and <= 32 } kind ? kind : null;
    }
}
