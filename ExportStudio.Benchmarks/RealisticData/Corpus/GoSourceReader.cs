using System.Text.RegularExpressions;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>
/// The Go standard library's sources as code units, grouped by package directory. Their doc comments are
/// real technical prose, so each file also gives one "go" documentation section; the error and log
/// strings feed the synthesized panics and logs.
/// </summary>
internal static partial class GoSourceReader
{
    public static void Load(CorpusSource source, TextCorpus corpus)
    {
        foreach (var file in CorpusFiles.Under(source.Path, "*.go", Include))
        {
            var relative = Path.GetRelativePath(source.Path, file);
            var text = CorpusFiles.ReadText(file);
            // Generated tables (unicode, syscall numbers) are not what people paste into a chat.
            if (text.Length > 200_000 || text.StartsWith("// Code generated", StringComparison.Ordinal)) continue;
            var package = Path.GetDirectoryName(relative) ?? relative;
            var units = CodeUnitSplitter.Split(text, IsTopLevel, l => l.StartsWith("//", StringComparison.Ordinal));
            corpus.AddCode(new CodeFile(SourceId.GoSource, "go", relative, package, units));
            AddDocSection(corpus, relative, package, units);
            foreach (Match m in Error().Matches(text))
            {
                corpus.GoErrors.Add(m.Groups[1].Value);
            }
            foreach (Match m in Log().Matches(text))
            {
                corpus.LogMessages.Add(m.Groups[1].Value);
            }
        }
    }

    /// <summary>Each documented unit's comment, then its declaration line, as one section per file.</summary>
    private static void AddDocSection(TextCorpus corpus, string relative, string package, List<CodeUnit> units)
    {
        var blocks = new List<Block>();
        foreach (var unit in units)
        {
            var comment = CodeUnitSplitter.LeadingComment(unit.Text);
            // One-line comments ("// foo returns bar.") say nothing a question could be about.
            if (comment.Length < 80) continue;
            blocks.Add(new TextBlock(SourceId.GoSource, comment));
            var firstCodeLine = unit.Text.Split('\n').FirstOrDefault(l => !l.StartsWith("//", StringComparison.Ordinal)) ?? "";
            if (firstCodeLine.Length > 0) blocks.Add(new CodeBlock(SourceId.GoSource, "go", firstCodeLine.TrimEnd('{', ' ')));
        }
        if (blocks.Count > 0)
        {
            var title = "package " + package.Replace('/', '.').Split('.')[^1] + " (" + Path.GetFileName(relative) + ")";
            corpus.AddDocs("go", new DocSection(SourceId.GoSource, package, title, blocks));
        }
    }

    /// <summary>Tests, test data, vendored and generated code are left out, as in the Python sources.</summary>
    private static bool Include(string path) =>
        !path.EndsWith("_test.go", StringComparison.Ordinal) && !path.Contains("/testdata/", StringComparison.Ordinal)
        && !path.Contains("/vendor/", StringComparison.Ordinal) && !path.Contains("/cmd/vendor/", StringComparison.Ordinal)
        && !path.EndsWith("zz_generated.go", StringComparison.Ordinal) && !Path.GetFileName(path).StartsWith("z", StringComparison.Ordinal);

    private static bool IsTopLevel(string line) =>
        line.StartsWith("func ", StringComparison.Ordinal) || line.StartsWith("type ", StringComparison.Ordinal)
        || line.StartsWith("var ", StringComparison.Ordinal) || line.StartsWith("const ", StringComparison.Ordinal);

    [GeneratedRegex(@"(?:errors\.New|fmt\.Errorf)\(""([^""\n]{10,120})""")]
    private static partial Regex Error();

    [GeneratedRegex(@"\b(?:log|t|b)\.(?:Printf|Fatalf|Logf|Errorf|Panicf)\(""([^""\n]{12,120})""")]
    private static partial Regex Log();
}
