namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>Everything the chats are made of, loaded once, in a deterministic order.</summary>
internal sealed class TextCorpus
{
    /// <summary>Documentation sections by the language or tool they are about: python, go, csharp, git.</summary>
    public Dictionary<string, List<DocSection>> Docs { get; } = [];

    /// <summary>Real source files by language: python, go.</summary>
    public Dictionary<string, List<CodeFile>> Code { get; } = [];

    /// <summary>Fortune cookies (quotes, jokes, poems) by language: en, de, ru, es, zh.</summary>
    public Dictionary<string, List<string>> Fortunes { get; } = [];

    public List<(string Name, string Text)> Licenses { get; } = [];

    /// <summary>Exception messages from the Python sources' raise statements ("ValueError: ...").</summary>
    public List<string> PythonErrors { get; } = [];

    /// <summary>Error strings from the Go sources (errors.New, fmt.Errorf).</summary>
    public List<string> GoErrors { get; } = [];

    /// <summary>Log format strings from the Go and Python sources (log.Printf, logger.info, ...).</summary>
    public List<string> LogMessages { get; } = [];

    /// <summary>.NET type names from the XML docs (for build errors and stack traces).</summary>
    public List<string> DotnetTypes { get; } = [];

    /// <summary>Characters of text available per source (UTF-16, after conversion to Markdown).</summary>
    public Dictionary<SourceId, long> Available { get; } = [];

    public void AddDocs(string language, DocSection section)
    {
        if (section.Blocks.Count == 0) return;
        if (!Docs.TryGetValue(language, out var list)) Docs[language] = list = [];
        list.Add(section);
        Count(section.Source, section.Length + section.Title.Length);
    }

    public void AddCode(CodeFile file)
    {
        if (file.Units.Count == 0) return;
        if (!Code.TryGetValue(file.Language, out var list)) Code[file.Language] = list = [];
        list.Add(file);
        Count(file.Source, file.Length);
    }

    public void AddFortune(string language, string text)
    {
        if (!Fortunes.TryGetValue(language, out var list)) Fortunes[language] = list = [];
        list.Add(text);
        Count(SourceId.Fortunes, text.Length);
    }

    public void Count(SourceId source, long chars) => Available[source] = Available.GetValueOrDefault(source) + chars;
}
