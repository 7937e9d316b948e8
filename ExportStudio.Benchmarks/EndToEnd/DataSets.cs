namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>The data sets benchmarks run on.</summary>
internal static class DataSets
{
    /// <summary>The demo data's generator: a handful of templates, so it compresses far better than real chats.</summary>
    public static DataSet Generated { get; } = new("generated", "the demo data's template generator (compresses about 11× with zstd -3)",
        async (factory, bytes) => await new BulkSeeder(factory).SeedAsync(bytes));

    public static IReadOnlyList<DataSet> All { get; } = [Generated];
}
