using System.Globalization;
using System.Text;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>Writes the measured tables into docs/benchmarks.md (between markers) and draws the chart as SVG.</summary>
internal static class BenchmarkReport
{
    public static void Write(string docsDirectory, IReadOnlyList<DataSetResults> results, string machine, string command)
    {
        Directory.CreateDirectory(docsDirectory);
        MarkedSection.Write(Path.Combine(docsDirectory, "benchmarks.md"), "results", Tables(results, machine, command));
        File.WriteAllText(Path.Combine(docsDirectory, "benchmarks-chart.svg"), Chart(results));
        File.WriteAllText(Path.Combine(docsDirectory, "benchmark-results.json"),
            System.Text.Json.JsonSerializer.Serialize(results, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Tables(IReadOnlyList<DataSetResults> results, string machine, string command)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}, with `{command}`.");
        s.AppendLine();
        s.AppendLine("![Throughput and ratio per codec](benchmarks-chart.svg)");
        foreach (var set in results)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"### {set.Megabytes} MB data set ({set.Sessions:N0} sessions, {set.JsonBytes / 1e6:F0} MB as JSON)");
            s.AppendLine();
            s.AppendLine("Exports through the app's own pipeline (database → writer → compression → file), default levels, each run twice in " +
                         "one fresh app process: MB/s of original bytes for the first export after start-up and for the same export again; " +
                         "peak memory is the process's over both:");
            s.AppendLine();
            s.AppendLine("| format | compression | level | original MB | stored MB | ratio | MB/s first | MB/s steady | peak memory MB |");
            s.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
            foreach (var r in set.Pipeline)
            {
                s.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Format} | {r.Compression} | {r.Level?.ToString(CultureInfo.InvariantCulture) ?? "–"} | {r.OriginalBytes / 1e6:F1} | {r.StoredBytes / 1e6:F1} | {r.Ratio:F2} | {r.ThroughputMBps:F0} | {r.SteadyThroughputMBps:F0} | {r.PeakMemoryBytes / 1e6:F0} |");
            }

            s.AppendLine();
            s.AppendLine("Codecs on the same uncompressed JSON export file (file → file), best of three; ratios are the tool's figure over ExportStudio's for the same codec and level:");
            s.AppendLine();
            s.AppendLine("| codec | side | stored MB | ratio | MB/s | speed vs ExportStudio | size vs ExportStudio |");
            s.AppendLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var r in set.Codecs)
            {
                var ours = set.Codecs.FirstOrDefault(c => c.Side == "ExportStudio" && Family(c.Name) == Family(r.Name));
                var speed = ours is null || r.Side == "ExportStudio" ? "–" : $"{r.ThroughputMBps / ours.ThroughputMBps:F2}×";
                var size = ours is null || r.Side == "ExportStudio" ? "–" : $"{(double)r.StoredBytes / ours.StoredBytes:F3}×";
                s.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Side} | {r.StoredBytes / 1e6:F1} | {r.Ratio:F2} | {r.ThroughputMBps:F0} | {speed} | {size} |");
            }

            s.AppendLine();
            s.AppendLine("| decompression | MB/s (original bytes) |");
            s.AppendLine("|---|---:|");
            foreach (var r in set.Decompress)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.ThroughputMBps:F0} |");
            }
        }
        return s.ToString();
    }

    /// <summary>Which ExportStudio codec a tool's row compares with: "zstd -3 …" ↔ "zstd-3", "gzip -6"/"pigz -6" ↔ "gzip-6".</summary>
    internal static string Family(string name)
    {
        var n = name.Replace(" ", "").Replace("-T0", "").Replace("-T1", "").Replace("pigz", "gzip");
        return n switch
        {
            _ when n.StartsWith("zstd-19", StringComparison.Ordinal) => "zstd-19",
            _ when n.StartsWith("zstd-3", StringComparison.Ordinal) => "zstd-3",
            _ when n.StartsWith("gzip-6", StringComparison.Ordinal) => "gzip-6",
            _ => n,
        };
    }

    private static string Chart(IReadOnlyList<DataSetResults> results)
    {
        var set = results.OrderBy(r => r.Megabytes).First();
        var bars = set.Codecs.Select(c => (Label: $"{c.Name} ({c.Side})", c.ThroughputMBps, c.Ratio)).ToList();
        const int rowHeight = 26, left = 290, width = 900, barWidth = 380;
        var maxSpeed = Math.Max(1, bars.Max(b => b.ThroughputMBps));
        var maxRatio = Math.Max(1, bars.Max(b => b.Ratio));
        var height = 70 + bars.Count * rowHeight;
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">Codecs on {set.JsonBytes / 1e6:F0} MB of session JSON: throughput (blue, MB/s) and ratio (green)</text>");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, speed, ratio) = bars[i];
            var y = 40 + i * rowHeight;
            var speedWidth = speed / maxSpeed * barWidth;
            var ratioWidth = ratio / maxRatio * (width - left - barWidth - 60);
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{Escape(label)}</text>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y + 3}\" width=\"{speedWidth:F1}\" height=\"9\" fill=\"#3f51b5\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left + speedWidth + 4:F1}\" y=\"{y + 12}\" font-size=\"10\">{speed:F0} MB/s</text>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y + 13}\" width=\"{ratioWidth:F1}\" height=\"9\" fill=\"#00897b\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left + ratioWidth + 4:F1}\" y=\"{y + 22}\" font-size=\"10\">{ratio:F2}×</text>");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
