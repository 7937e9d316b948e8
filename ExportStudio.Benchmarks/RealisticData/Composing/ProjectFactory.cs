using ExportStudio.Benchmarks.RealisticData.Corpus;
using static ExportStudio.Benchmarks.RealisticData.Composing.Markup;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// Starts projects: 2-6 real files of one package (Python, Go), or files assembled from the docs' examples
/// where the corpus has no source code (C#, shell), plus the doc sections of that package or
/// topic and a few unrelated ones.
/// </summary>
internal sealed class ProjectFactory
{
    // Enough sections for variety across a project's sessions; more would dilute its repetition.
    private const int MaxTopicSections = 60;

    private readonly TextCorpus _corpus;
    private readonly Dictionary<string, Dictionary<string, List<DocSection>>> _docsByTopic = [];
    private readonly Dictionary<string, Dictionary<string, List<CodeFile>>> _filesByPackage = [];
    private readonly Dictionary<string, List<CodeBlock>> _docCode = [];

    public ProjectFactory(TextCorpus corpus)
    {
        _corpus = corpus;
        foreach (var (language, sections) in corpus.Docs)
        {
            _docsByTopic[language] = sections.GroupBy(s => s.Topic, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            _docCode[language] = sections.SelectMany(s => s.Blocks.OfType<CodeBlock>()).Where(IsExample).ToList();
        }
        foreach (var (language, files) in corpus.Code)
        {
            _filesByPackage[language] = files.GroupBy(f => f.Package, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        }
    }

    public Project Create(Rng rng, DateTime now)
    {
        var language = ChatLanguages.Pick(rng);
        var user = rng.Pick(Phrases.UserNames);
        var (files, topic) = PickFiles(rng, language);
        var docs = PickDocs(rng, language, topic);
        var name = topic.Split('/', '.', '-')[^1].ToLowerInvariant() + "-" + rng.Pick(Phrases.ProjectSuffixes);
        string? systemPrompt = null;
        if (rng.Chance(0.5))
        {
            var about = docs[0].Blocks.OfType<TextBlock>().FirstOrDefault()?.Text ?? "";
            systemPrompt = $"{rng.Pick(Phrases.SystemPrompts)} The user works on {name}, a {language} project. Context from the docs they rely on: {Truncate(about, 400)}";
        }
        return new Project
        {
            Name = name,
            Language = language,
            User = user,
            Files = files,
            Docs = docs,
            SystemPrompt = systemPrompt,
            Ends = now.AddHours(rng.LogNormal(5 * 24, 1.0, 6, 60 * 24)),
            LastUsed = now,
        };
    }

    /// <summary>A file and some of its package's siblings; the package is the project's topic.</summary>
    private (List<CodeFile> Files, string Topic) PickFiles(Rng rng, string language)
    {
        if (!_filesByPackage.TryGetValue(language, out var byPackage))
        {
            var topics = _docsByTopic[language];
            var topic = rng.Pick(topics.Keys.Order(StringComparer.Ordinal).ToList());
            return (SyntheticFiles(rng, language, topics[topic]), topic);
        }
        var anchor = rng.Pick(_corpus.Code[language]);
        var siblings = byPackage[anchor.Package].Where(f => f != anchor).ToList();
        var files = new List<CodeFile> { anchor };
        var wanted = rng.Next(1, 6);
        while (files.Count <= wanted && siblings.Count > 0)
        {
            var pick = rng.Next(siblings.Count);
            files.Add(siblings[pick]);
            siblings.RemoveAt(pick);
        }
        if (files.Count < 2) files.Add(rng.Pick(_corpus.Code[language]));
        return (files, anchor.Package);
    }

    /// <summary>The topic's sections, those of topics sharing its prefix ("os" → "os.path"), and 15-35 from anywhere.</summary>
    private List<DocSection> PickDocs(Rng rng, string language, string topic)
    {
        var topics = _docsByTopic[language];
        var docs = new List<DocSection>();
        if (topics.TryGetValue(topic, out var own)) docs.AddRange(own.Take(MaxTopicSections));
        var prefix = topic.Split('/', '.')[0];
        foreach (var (key, sections) in topics)
        {
            if (docs.Count >= MaxTopicSections) break;
            if (key != topic && key.StartsWith(prefix, StringComparison.Ordinal)) docs.AddRange(sections.Take(10));
        }
        var all = _corpus.Docs[language];
        for (var i = rng.Next(15, 35); i > 0; i--) docs.Add(rng.Pick(all));
        return docs;
    }

    /// <summary>For languages without real source files here: files made of the docs' examples, as a project that grew from them.</summary>
    private List<CodeFile> SyntheticFiles(Rng rng, string language, List<DocSection> topicSections)
    {
        var blocks = topicSections.SelectMany(s => s.Blocks.OfType<CodeBlock>()).Where(IsExample).ToList();
        var pool = _docCode[language];
        var (extension, folder) = language switch
        {
            "csharp" => (".cs", "src/App"),
            _ => (".sh", "scripts"),
        };
        var files = new List<CodeFile>();
        var count = rng.Next(2, 5);
        for (var f = 0; f < count; f++)
        {
            var units = new List<CodeUnit>();
            var line = 1;
            for (var u = rng.Next(2, 8); u > 0; u--)
            {
                var block = blocks.Count > 0 && rng.Chance(0.7) ? rng.Pick(blocks) : rng.Pick(pool);
                units.Add(new CodeUnit("example" + units.Count, block.Code, line));
                line += block.Code.Count(c => c == '\n') + 2;
            }
            var source = blocks.FirstOrDefault()?.Source ?? pool[0].Source;
            files.Add(new CodeFile(source, language, $"{folder}/{rng.Pick(Phrases.ProjectSuffixes)}{extension}", "", units));
        }
        return files;
    }

    /// <summary>Blocks of three lines or more: shorter ones are signatures or one-liners, not code anyone works on.</summary>
    private static bool IsExample(CodeBlock block) => block.Code.Count(c => c == '\n') >= 2;
}
