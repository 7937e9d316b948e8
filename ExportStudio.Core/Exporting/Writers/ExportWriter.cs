using ExportStudio.Core.Exporting.Reading;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>
/// The shape every format writer has: a header, one call per session, a footer — streaming to the output
/// as sessions arrive, never holding the document. The output stream is not disposed.
/// </summary>
public abstract class ExportWriter(ExportOptions options) : IAsyncDisposable
{
    /// <summary>Pending output is handed to the stream once it passes this, so memory stays flat.</summary>
    protected const int FlushThreshold = 64 * 1024;

    protected ExportOptions Options { get; } = options;

    public static ExportWriter Create(ExportFormat format, Stream output, ExportOptions options) => format switch
    {
        ExportFormat.Json => new JsonExportWriter(output, options),
        ExportFormat.JsonLines => new JsonLinesExportWriter(output, options),
        ExportFormat.Csv => new CsvExportWriter(output, options),
        ExportFormat.Markdown => new MarkdownExportWriter(output, options),
        ExportFormat.Html => new HtmlExportWriter(output, options),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public abstract ValueTask WriteHeaderAsync(ExportDocumentHeader header, CancellationToken cancellationToken = default);

    public abstract ValueTask WriteSessionAsync(SessionRecord session, CancellationToken cancellationToken = default);

    public abstract ValueTask WriteFooterAsync(CancellationToken cancellationToken = default);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
