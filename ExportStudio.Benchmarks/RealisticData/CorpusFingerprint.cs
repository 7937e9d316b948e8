using System.Security.Cryptography;
using System.Text;
using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.RealisticData;

/// <summary>
/// A SHA-256 over the corpus as loaded (every section, file, fortune, license and quoted string, in order):
/// equal on two machines exactly when they read the same text, which is what "same input files" means for
/// the data set. When two machines' sessions differ, this tells whether the inputs or the code differ.
/// </summary>
internal static class CorpusFingerprint
{
    public static string Of(TextCorpus corpus)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(BitConverter.GetBytes(text.Length));
            hash.AppendData(Encoding.UTF8.GetBytes(text));
        }

        foreach (var (language, sections) in corpus.Docs)
        {
            Add(language);
            foreach (var section in sections)
            {
                Add(section.Topic);
                Add(section.Title);
                foreach (var block in section.Blocks) Add(block is CodeBlock code ? code.Language + "\n" + code.Code : ((TextBlock)block).Text);
            }
        }
        foreach (var file in corpus.Code.Values.SelectMany(files => files))
        {
            Add(file.Path);
            foreach (var unit in file.Units) Add(unit.Text);
        }
        foreach (var text in corpus.Fortunes.Values.SelectMany(f => f).Concat(corpus.Licenses.Select(l => l.Text))) Add(text);
        foreach (var text in corpus.PythonErrors.Concat(corpus.GoErrors).Concat(corpus.LogMessages).Concat(corpus.DotnetTypes)) Add(text);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
