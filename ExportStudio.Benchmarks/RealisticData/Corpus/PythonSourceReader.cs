using System.Text.RegularExpressions;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>
/// The Python standard library's sources as code units, grouped into packages; also their own exception
/// and log messages, which the synthesized tracebacks and logs quote.
/// </summary>
internal static partial class PythonSourceReader
{
    public static void Load(CorpusSource source, TextCorpus corpus)
    {
        foreach (var file in CorpusFiles.Under(source.Path, "*.py", Include))
        {
            var relative = Path.GetRelativePath(source.Path, file);
            var package = relative.Contains('/') ? relative[..relative.IndexOf('/')] : Path.GetFileNameWithoutExtension(relative);
            var text = CorpusFiles.ReadText(file);
            var units = CodeUnitSplitter.Split(text, IsTopLevel, l => l.StartsWith('@') || l.StartsWith('#'));
            corpus.AddCode(new CodeFile(SourceId.PythonSource, "python", relative, package, units));
            foreach (Match m in Raise().Matches(text))
            {
                corpus.PythonErrors.Add($"{m.Groups[1].Value}: {m.Groups[3].Value}");
            }
            foreach (Match m in Log().Matches(text))
            {
                corpus.LogMessages.Add(m.Groups[2].Value);
            }
        }
    }

    /// <summary>Tests and third-party packages are not what a user's project looks like; byte code and build config are not source.</summary>
    private static bool Include(string path) =>
        !path.Contains("/test/", StringComparison.Ordinal) && !path.Contains("/tests/", StringComparison.Ordinal)
        && !path.Contains("/idle_test/", StringComparison.Ordinal) && !path.Contains("/site-packages/", StringComparison.Ordinal)
        && !path.Contains("/dist-packages/", StringComparison.Ordinal) && !path.Contains("/config-3", StringComparison.Ordinal)
        && !path.Contains("/__pycache__/", StringComparison.Ordinal) && !Path.GetFileName(path).StartsWith("test_", StringComparison.Ordinal);

    private static bool IsTopLevel(string line) =>
        line.StartsWith("def ", StringComparison.Ordinal) || line.StartsWith("class ", StringComparison.Ordinal)
        || line.StartsWith("async def ", StringComparison.Ordinal) || line.StartsWith("if __name__", StringComparison.Ordinal);

    [GeneratedRegex(@"raise ([A-Z][A-Za-z]*(Error|Exception|Warning))\(\s*[fr]?[""']([^""'\n{}%]{12,120})[""']")]
    private static partial Regex Raise();

    [GeneratedRegex(@"\b(logger|log|_log|self\.logger|self\.log)\.(?:debug|info|warning|error|exception|critical)\(\s*[""']([^""'\n]{12,120})[""']")]
    private static partial Regex Log();
}
