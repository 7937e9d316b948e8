namespace ExportStudio.Tests.Storage;

/// <summary>Reading the database file ahead at start-up: whole, within its budget, and never a file that is not there.</summary>
public sealed class PageCacheTests
{
    [Fact]
    public async Task A_file_within_the_budget_is_read_through_and_a_larger_or_missing_one_is_left_alone()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("exportstudio.db");
        await File.WriteAllBytesAsync(path, new byte[(3 << 20) + 17]); // more than one chunk, not a whole number of them

        Assert.Equal((3 << 20) + 17, await PageCache.WarmAsync(path, maxBytes: 4 << 20, CancellationToken.None));
        Assert.Equal(0, await PageCache.WarmAsync(path, maxBytes: 1 << 20, CancellationToken.None));
        Assert.Equal(0, await PageCache.WarmAsync(directory.Combine("missing.db"), maxBytes: 4 << 20, CancellationToken.None));
        Assert.False(File.Exists(directory.Combine("missing.db")));
    }

    [Fact]
    public void The_budget_is_a_part_of_the_memory_the_machine_has_available()
    {
        var budget = PageCache.Budget();

        Assert.InRange(budget, 1L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }
}
