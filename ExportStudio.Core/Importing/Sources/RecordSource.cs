using System.Runtime.CompilerServices;
using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// A source whose documents are records — conversations in a JSON array, or one per line — read one at a
/// time by <see cref="JsonRecordReader"/>. A record that is not one of the source's conversations (the
/// odd stub of a real export) is counted as dropped; a document with none at all is refused.
/// </summary>
internal abstract class RecordSource : IImportSource
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    public abstract bool Recognizes(JsonSniff sniff);

    /// <summary>Adds the sessions of one record (none when it is empty or repeated); false when it is not this source's conversation.</summary>
    protected abstract bool TryRead(JsonElement record, ImportContext context, List<ChatSession> sessions);

    public async IAsyncEnumerable<ChatSession> ReadAsync(Stream document, ImportContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (records, conversations) = (0, 0);
        var sessions = new List<ChatSession>();
        await foreach (var record in JsonRecordReader.ReadAsync(document, cancellationToken))
        {
            records++;
            if (Read(record, context, sessions))
            {
                conversations++;
            }
            else
            {
                context.Drop("notConversation");
            }
            foreach (var session in sessions)
            {
                yield return session;
            }
            sessions.Clear();
        }
        if (records > 0 && conversations == 0)
        {
            throw new ImportFormatException($"The file is not a {Name} export: none of its {records} records has the structure of a {Name} conversation.");
        }
    }

    private bool Read(JsonRecord record, ImportContext context, List<ChatSession> sessions)
    {
        try
        {
            return record.Element.ValueKind == JsonValueKind.Object && TryRead(record.Element, context, sessions);
        }
        catch (InvalidOperationException exception)
        {
            // Raised for text that is not valid UTF-16 once unescaped (a lone surrogate such as \ud800).
            throw new ImportFormatException($"Record #{record.Number} holds text that is not valid Unicode ({exception.Message}).", exception);
        }
    }
}
