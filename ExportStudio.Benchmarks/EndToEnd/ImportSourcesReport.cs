using System.Globalization;
using System.Text;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>Writes the import-sources table into docs/benchmarks.md between its own markers, adding its section the first time.</summary>
internal static class ImportSourcesReport
{
    private const string Heading = "## Importing other products' exports";

    public static void Write(string docsDirectory, IReadOnlyList<ImportSourceResults> results, string machine, string command)
    {
        MarkedSection.Write(Path.Combine(docsDirectory, "benchmarks.md"), "import-sources", Table(results, machine, command), $"{Heading}\n\n{Intro}");
    }

    // Written once, with the section: what the files are, so the figures can be read without the code.
    private const string Intro =
        "A ChatGPT-shaped and a Claude-shaped `conversations.json` of the realistic data set's sessions (the same seed " +
        "for both, so both hold the same conversations), shaped as the import tests' fixtures: ChatGPT's `mapping` tree with " +
        "the hidden system node, a regenerated first attempt beside a quarter of the answers, tool calls as `code` nodes " +
        "addressed to the tool and `execution_output` nodes; Claude's `chat_messages` chained by `parent_message_uuid`, " +
        "thinking, `tool_use` and `tool_result` blocks, each message's text written twice (its `text` and its content blocks, " +
        "as Claude's exports do; hence its native file is half the size). Each file is posted as the raw body of " +
        "`POST /api/v1/import` to a " +
        "fresh published app on an empty database (the request's whole time, upload included, and that process's VmHWM). " +
        "What it imported is then exported as ExportStudio JSON and imported into another fresh app: the native format's " +
        "figure on the same sessions.";

    private static string Table(IReadOnlyList<ImportSourceResults> results, string machine, string command)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}, with `{command}`.");
        s.AppendLine();
        // Time against the native import, not MB/s: the foreign file is larger than the native one for the same
        // sessions, so its MB/s alone would flatter it.
        s.AppendLine("| file | size | sessions | messages | seconds | MB/s | time vs native | peak RSS |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Row(s, r.Foreign, $"{r.Foreign.Seconds / r.Native.Seconds:F2}×");
            Row(s, r.Native, "1×");
        }
        s.AppendLine();
        s.AppendLine("Each pair holds the same sessions: the native row is the foreign import exported as ExportStudio JSON, " +
                     "so a time above 1× is what reading the foreign shape costs over the app's own format.");
        return s.ToString();
    }

    private static void Row(StringBuilder s, ImportRun run, string versusNative) =>
        s.AppendLine(CultureInfo.InvariantCulture,
            $"| {run.File} | {run.Bytes / 1e6:F0} MB | {run.Sessions:N0} | {run.Messages:N0} | {run.Seconds:F1} | {run.MBps:F1} | {versusNative} | {run.PeakMemoryBytes / 1e6:F0} MB |");
}
