namespace ExportStudio.Benchmarks.RealisticData.Corpus;

internal static class CorpusLoader
{
    // Fewer sections than this means a package is installed only in part (or a path moved): the data would
    // differ from every other machine's, so loading stops instead.
    private static readonly (string Language, int Minimum)[] MinimumSections =
        [("python", 1000), ("go", 500), ("csharp", 1000), ("git", 200)];

    /// <summary>Reads every source; throws with the apt-get line to run when one is missing.</summary>
    /// <exception cref="MissingCorpusException">A source directory is missing or looks incomplete.</exception>
    public static TextCorpus Load(IReadOnlyList<CorpusSource> sources)
    {
        if (MissingSources(sources) is { } message)
        {
            throw new MissingCorpusException(message);
        }

        var corpus = new TextCorpus();
        foreach (var source in sources)
        {
            Read(source, corpus);
            // A reader leaves its files' text, line arrays and parse trees behind, much of it on the large
            // object heap, which only full collections reclaim. Collecting (and returning the memory to the
            // system) after each source keeps the process near the corpus's own size, ~170 MB, instead of
            // twice that: the seeder then stays well under 400 MB.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        // The same message appears in many files; keeping the first occurrence keeps the order deterministic.
        Dedupe(corpus.PythonErrors);
        Dedupe(corpus.GoErrors);
        Dedupe(corpus.LogMessages);
        Dedupe(corpus.DotnetTypes);
        foreach (var (language, minimum) in MinimumSections)
        {
            if (!corpus.Docs.TryGetValue(language, out var docs) || docs.Count < minimum)
            {
                throw new MissingCorpusException(
                    $"Only {docs?.Count ?? 0} {language} documentation sections were read; the corpus sources look incomplete.\n" +
                    $"Reinstall them with: {CorpusSource.AptInstallLine}");
            }
        }
        return corpus;
    }

    /// <summary>What is missing and the apt-get line that installs it, or null when every source is there.</summary>
    public static string? MissingSources(IReadOnlyList<CorpusSource> sources)
    {
        var missing = sources.Where(s => !s.Exists).ToList();
        return missing.Count == 0
            ? null
            : "Missing corpus sources:\n" + string.Join("\n", missing.Select(s => $"  {s.Path}  ({s.Description}; package: {s.Packages})")) +
              $"\nInstall them with: {CorpusSource.AptInstallLine}";
    }

    private static void Read(CorpusSource source, TextCorpus corpus)
    {
        switch (source.Id)
        {
            case SourceId.DotnetXmlDocs: XmlDocReader.Load(source, corpus); break;
            case SourceId.PythonDocs: RstReader.Load(source, corpus); break;
            case SourceId.GitDocs: AsciiDocReader.Load(source, corpus); break;
            case SourceId.PythonSource: PythonSourceReader.Load(source, corpus); break;
            case SourceId.GoSource: GoSourceReader.Load(source, corpus); break;
            case SourceId.Fortunes: FortuneReader.Load(source, corpus); break;
            case SourceId.Licenses: LicenseReader.Load(source, corpus); break;
            default: throw new ArgumentOutOfRangeException(nameof(source), source.Id, "No reader for this source.");
        }
    }

    private static void Dedupe(List<string> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        items.RemoveAll(item => !seen.Add(item));
    }
}

/// <summary>A corpus source is missing or incomplete; the message names the apt-get line that fixes it.</summary>
internal sealed class MissingCorpusException(string message) : Exception(message);
