namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>The common free-software licenses, for "what does this license allow" sessions.</summary>
internal static class LicenseReader
{
    public static void Load(CorpusSource source, TextCorpus corpus)
    {
        foreach (var file in CorpusFiles.Under(source.Path, "*"))
        {
            var text = CorpusFiles.ReadText(file);
            corpus.Licenses.Add((Path.GetFileName(file), text));
            corpus.Count(SourceId.Licenses, text.Length);
        }
    }
}
