using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// One product whose exports ExportStudio reads. Which one a document is comes from its content
/// (<see cref="Recognizes"/>, over the first bytes), unless the person names it; the reader then turns the
/// document into sessions as a stream, one conversation in memory at a time, and counts in the
/// <see cref="ImportContext"/> what it could not keep.
/// </summary>
public interface IImportSource
{
    /// <summary>The name in responses, in <c>metadata.source.kind</c> and in <c>?source=</c>: <c>chatgpt</c>, <c>claude</c>, …</summary>
    string Name { get; }

    /// <summary>What people have of it, as the list of sources in a refusal says.</summary>
    string Description { get; }

    bool Recognizes(JsonSniff sniff);

    /// <exception cref="ImportFormatException">The document is not what this source writes, or is damaged; the message says where.</exception>
    IAsyncEnumerable<ChatSession> ReadAsync(Stream document, ImportContext context, CancellationToken cancellationToken = default);
}
