using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>The sources ExportStudio reads, and the one place a document's source is chosen: from its content, or as named.</summary>
public static class ImportSources
{
    /// <summary>In the order they are tried; each asks for property names only its own exports have.</summary>
    public static IReadOnlyList<IImportSource> All { get; } =
    [
        new ExportStudioSource(), new ChatGptSource(), new ClaudeSource(), new OpenWebUiSource(),
        new LibreChatSource(), new OpenAiJsonlSource(), new ShareGptSource(),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(s => s.Name).ToList();

    public static IImportSource? Find(string name) => All.FirstOrDefault(s => s.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The sources as a sentence, for messages that list them.</summary>
    public static string Listing => string.Join("; ", All.Select(s => $"{s.Name} ({s.Description})"));

    /// <summary>
    /// Looks at the start of <paramref name="document"/> and returns the source that reads it (the named one
    /// when given), with a stream that still yields the whole document.
    /// </summary>
    /// <exception cref="ImportSourceUnknownException">No source recognises it.</exception>
    /// <exception cref="ImportRejectedException">It is an empty list.</exception>
    public static async Task<(IImportSource Source, Stream Content)> ChooseAsync(Stream document, IImportSource? named, CancellationToken cancellationToken)
    {
        var (content, head) = await PrefixedStream.PeekAsync(document, JsonSniff.HeadBytes, cancellationToken);
        var sniff = JsonSniff.Of(head.Span, wholeDocument: head.Length < JsonSniff.HeadBytes);
        if (sniff.IsEmptyArray)
        {
            throw new ImportRejectedException("The file holds an empty list: there are no conversations in it to import.");
        }
        if ((named ?? All.FirstOrDefault(s => s.Recognizes(sniff))) is { } source)
        {
            return (source, content);
        }
        throw new ImportSourceUnknownException(
            "The file is not an ExportStudio export, nor an export of another product ExportStudio reads; its structure matches none of them. " +
            $"ExportStudio reads: {Listing}. Send the file as it was downloaded (a .zip as it came, or the JSON inside it), or name its source with ?source=NAME.",
            Names);
    }
}
