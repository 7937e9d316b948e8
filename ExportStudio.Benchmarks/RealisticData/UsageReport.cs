using ExportStudio.Benchmarks.RealisticData.Composing;
using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.RealisticData;

/// <summary>What the data set quotes from each source, as a Markdown table: what it is made of decides how it compresses.</summary>
internal static class UsageReport
{
    public static void Write(TextCorpus corpus, Usage usage)
    {
        Console.WriteLine();
        Console.WriteLine("| source | available M chars | distinct used M chars | % of source used | emitted M chars (with repeats) | share of emitted |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var totalEmitted = Math.Max(1, usage.Emitted.Values.Sum());
        foreach (var id in Enum.GetValues<SourceId>())
        {
            var available = corpus.Available.GetValueOrDefault(id);
            var distinct = usage.Distinct.GetValueOrDefault(id);
            var emitted = usage.Emitted.GetValueOrDefault(id);
            var used = available > 0 ? $"{100.0 * distinct / available:F0}%" : "–";
            Console.WriteLine($"| {id} | {available / 1e6:F1} | {distinct / 1e6:F1} | {used} | {emitted / 1e6:F1} | {100.0 * emitted / totalEmitted:F1}% |");
        }
    }
}
