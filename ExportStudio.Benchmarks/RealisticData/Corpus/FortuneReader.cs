namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>Fortune cookies ("%"-separated) by language: writing help, quotes and text to translate.</summary>
internal static class FortuneReader
{
    public static void Load(CorpusSource source, TextCorpus corpus)
    {
        foreach (var file in CorpusFiles.Under(source.Path, "*", p => !Path.HasExtension(p) || p.EndsWith(".fortunes", StringComparison.Ordinal)))
        {
            var relative = Path.GetRelativePath(source.Path, file);
            // "off" holds the offensive sets; ASCII art is not text anyone asks about; translate-me is untranslated material.
            if (relative.StartsWith("off/", StringComparison.Ordinal) || relative.Contains("/off/", StringComparison.Ordinal)) continue;
            var name = Path.GetFileName(file);
            if (name.Contains("art", StringComparison.Ordinal) || name is "translate-me") continue;
            // Localized sets live in a folder named by language; the Chinese sets sit at the top level.
            var language = relative.Contains('/') ? relative[..relative.IndexOf('/')] : name is "chinese" or "tang300" or "song100" ? "zh" : "en";
            foreach (var cookie in CorpusFiles.ReadText(file).Split("\n%\n"))
            {
                var text = cookie.Trim('%', '\n', ' ');
                if (text.Length >= 20) corpus.AddFortune(language, text);
            }
        }
    }
}
