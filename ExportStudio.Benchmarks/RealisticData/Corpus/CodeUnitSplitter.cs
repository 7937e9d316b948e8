using System.Text;
using System.Text.RegularExpressions;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>
/// Splits a source file into top-level units (functions, classes, types with their leading comments and
/// decorators; the module code between them as one unit): the pieces people paste into a chat.
/// </summary>
internal static partial class CodeUnitSplitter
{
    // Longer units are cut: nobody pastes a 2,000-line function, and one would dominate a session.
    private const int MaxUnitLines = 220;

    /// <summary>Splits at top-level starts; the comment or decorator lines right above a start belong to it.</summary>
    public static List<CodeUnit> Split(string text, Func<string, bool> isStart, Func<string, bool> attachesToNext)
    {
        var lines = text.Split('\n');
        var starts = new List<int> { 0 };
        for (var i = 1; i < lines.Length; i++)
        {
            if (!isStart(lines[i])) continue;
            var s = i;
            while (s - 1 > starts[^1] && attachesToNext(lines[s - 1])) s--;
            if (s > starts[^1]) starts.Add(s);
        }
        var units = new List<CodeUnit>();
        for (var u = 0; u < starts.Count; u++)
        {
            var end = u + 1 < starts.Count ? starts[u + 1] : lines.Length;
            var slice = lines[starts[u]..Math.Min(end, starts[u] + MaxUnitLines)];
            var unitText = string.Join('\n', slice).Trim('\n');
            // Blank stretches and lone imports between definitions are not worth quoting.
            if (unitText.Trim().Length < 40) continue;
            var nameLine = slice.FirstOrDefault(isStart) ?? slice[0];
            units.Add(new CodeUnit(UnitName(nameLine), unitText, starts[u] + 1));
        }
        return units;
    }

    /// <summary>The "//" comment a Go unit starts with, as prose (build tags and compiler directives left out).</summary>
    public static string LeadingComment(string unit)
    {
        var builder = new StringBuilder();
        foreach (var line in unit.Split('\n'))
        {
            if (!line.StartsWith("//", StringComparison.Ordinal)) break;
            var text = line.Length > 2 ? line[2..].TrimStart() : "";
            if (text.StartsWith("go:", StringComparison.Ordinal) || text.StartsWith("+build", StringComparison.Ordinal)) continue;
            builder.Append(text.Length == 0 ? "\n\n" : (builder.Length > 0 && builder[^1] != '\n' ? " " : "") + text);
        }
        return builder.ToString().Trim();
    }

    private static string UnitName(string line)
    {
        var m = Name().Match(line);
        return m.Success ? m.Groups[1].Value : "<module>";
    }

    [GeneratedRegex(@"^(?:async\s+)?(?:def|class|func|type|var|const)\s+(?:\([^)]*\)\s*)?([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Name();
}
