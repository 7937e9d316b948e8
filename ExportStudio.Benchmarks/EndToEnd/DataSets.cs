using ExportStudio.Benchmarks.RealisticData;
using ExportStudio.Benchmarks.RealisticData.Composing;
using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>The data sets benchmarks run on.</summary>
internal static class DataSets
{
    /// <summary>The demo data's generator: a handful of templates, so it compresses far better than real chats.</summary>
    public static DataSet Generated { get; } = new("generated", "the demo data's template generator (compresses about 11× with zstd -3)",
        async (factory, bytes) => await new BulkSeeder(factory).SeedAsync(bytes));

    /// <summary>Sessions composed of real text installed on the machine (docs, source code, logs): compresses like real chat exports.</summary>
    public static DataSet Realistic { get; } = new("realistic", "sessions of real docs, source code and logs (compresses about 6.3× with zstd -3)",
        async (factory, bytes) =>
        {
            var sources = CorpusSource.Defaults();
            if (CorpusLoader.MissingSources(sources) is { } missing)
            {
                throw new InvalidOperationException(missing);
            }
            var composer = new SessionComposer(CorpusLoader.Load(sources), RealisticOptions.DefaultSeed, new Usage());
            await new BulkSeeder(factory).SeedAsync(bytes, _ => composer.Next());
        });

    public static IReadOnlyList<DataSet> All { get; } = [Generated, Realistic];
}
