using ExportStudio.Core.Storage;

namespace ExportStudio.Core.Exporting.Pipeline;

/// <summary>An export stopped for a reason a person can act on; the message is shown as the job's error.</summary>
public sealed class ExportFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Turns whatever stopped an export into the one sentence its job shows: what happened and what to do.</summary>
public static class ExportFailure
{
    public static string Describe(Exception exception) =>
        FindCause<ExportFailedException>(exception)?.Message ?? DescribeCause(FindCause<IOException>(exception) ?? exception);

    private static string DescribeCause(Exception exception) => exception switch
    {
        IOException io when IsDiskFull(io) =>
            "The export directory ran out of disk space; the partial file was removed. Free some space and start the export again.",
        IOException io => $"Writing the export file failed ({io.Message}); the partial file was removed. Check the export directory and start the export again.",
        UnauthorizedAccessException => "The export directory is not writable; the partial file was removed. Check its permissions and start the export again.",
        _ => $"The export failed unexpectedly ({exception.GetType().Name}: {exception.Message}). Start it again; if it keeps failing, check the server log.",
    };

    public static bool IsDiskFull(IOException exception) => DiskSpace.IsFull(exception);

    /// <summary>The first exception of type <typeparamref name="T"/> in the chain: codecs running in parallel wrap what they catch.</summary>
    private static T? FindCause<T>(Exception exception) where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Select(FindCause<T>).FirstOrDefault(e => e is not null) is { } inner)
            {
                return inner;
            }
        }
        return null;
    }
}
