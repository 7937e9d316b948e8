using System.Globalization;
using System.Text;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>Writes the targets' table into docs/benchmarks.md, between its own markers, with whether each target holds.</summary>
internal static class TargetReport
{
    public static void Write(string docsDirectory, IReadOnlyList<TargetResults> results, string machine, string command)
    {
        MarkedSection.Write(Path.Combine(docsDirectory, "benchmarks.md"), "targets", Table(results, machine, command));
        File.WriteAllText(Path.Combine(docsDirectory, "benchmark-targets.json"),
            System.Text.Json.JsonSerializer.Serialize(results, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Table(IReadOnlyList<TargetResults> results, string machine, string command)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}, with `{command}`.");
        s.AppendLine();
        s.Append("| measure | target |");
        foreach (var r in results)
        {
            s.Append(CultureInfo.InvariantCulture, $" {r.DataSet} ({r.JsonBytes / 1e6:F0} MB, {r.Sessions:N0} sessions) |");
        }
        s.AppendLine();
        s.Append("|---|---|");
        s.AppendLine(string.Concat(results.Select(_ => "---|")));
        Row(s, results, "json+zstd-3 stored size vs `zstd -3 -T0` on the same bytes", "≤ 1.01×",
            r => $"{r.SizeVsCli:F3}× ({r.OurZstdBytes / 1e6:F1} vs {r.CliZstdBytes / 1e6:F1} MB)", r => r.SizeVsCli <= 1.01);
        Row(s, results, "json+zstd-3 export (server time) vs `zstd -3 -T0` file→file, best of the 7th and 8th export after start", "≥ 0.33×",
            r => $"{r.SteadyMBps / r.CliMBps:F2}× ({r.SteadyMBps:F0} vs {r.CliMBps:F0} MB/s)", r => r.SteadyMBps / r.CliMBps >= 0.33);
        Row(s, results, "first export after start vs that", "≥ 0.8×",
            r => $"{r.FirstMBps / r.SteadyMBps:F2}× ({r.FirstMBps:F0} vs {r.SteadyMBps:F0} MB/s)", r => r.FirstMBps / r.SteadyMBps >= 0.8);
        Row(s, results, "import of the same sessions as one ExportStudio JSON file vs exporting them as json", "≥ 0.33×",
            r => $"{r.ImportMBps / r.JsonExportMBps:F2}× ({r.ImportMBps:F0} vs {r.JsonExportMBps:F0} MB/s)", r => r.ImportMBps / r.JsonExportMBps >= 0.33);
        Row(s, results, "peak RSS over the run", "< 300 MB",
            r => $"{r.PeakMemoryBytes / 1e6:F0} MB (exports {r.ExportPeakMemoryBytes / 1e6:F0}, import {r.ImportPeakMemoryBytes / 1e6:F0})", r => r.PeakMemoryBytes < 300_000_000);
        s.AppendLine();
        s.AppendLine("The eight json+zstd-3 exports of each run, in seconds of server time: " +
                     string.Join("; ", results.Select(r => $"{r.DataSet}: {string.Join(", ", r.ZstdExportSeconds.Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))}")) + ".");
        return s.ToString();
    }

    private static void Row(StringBuilder s, IReadOnlyList<TargetResults> results, string measure, string target, Func<TargetResults, string> figure, Func<TargetResults, bool> met)
    {
        s.Append(CultureInfo.InvariantCulture, $"| {measure} | {target} |");
        foreach (var r in results)
        {
            s.Append(CultureInfo.InvariantCulture, $" {figure(r)} {(met(r) ? "✓" : "✗")} |");
        }
        s.AppendLine();
    }
}
