
namespace ExportStudio.Tests.Api;

/// <summary>Paging on every list endpoint, up to the last page a query can name.</summary>
public sealed class PagingTests() : ApiTest(demoSessions: 30)
{
    [Theory]
    [InlineData("/api/v1/sessions", 2147483647, 2)]
    // (page - 1) × pageSize is exactly 2^32 here: an offset worked out in 32 bits is 0, the first page.
    [InlineData("/api/v1/sessions", 1073741825, 4)]
    [InlineData("/api/v1/sessions?search=kyoto", 2147483647, 200)]
    [InlineData("/api/v1/export", 2147483647, 2)]
    [InlineData("/api/v1/export", 1073741825, 20)]
    public async Task A_page_far_past_the_end_is_empty_with_the_right_total(string list, int page, int pageSize)
    {
        await ExportAsync(new { format = "csv" });
        await ExportAsync(new { format = "json" });
        var all = await Client.GetFromJsonAsync<JsonElement>($"{list}{(list.Contains('?') ? '&' : '?')}pageSize=200");

        var far = await Client.GetFromJsonAsync<JsonElement>($"{list}{(list.Contains('?') ? '&' : '?')}page={page}&pageSize={pageSize}");

        Assert.Empty(far.GetProperty("items").EnumerateArray());
        Assert.True(all.GetProperty("total").GetInt32() > 0);
        Assert.Equal(all.GetProperty("total").GetInt32(), far.GetProperty("total").GetInt32());
        Assert.Equal(page, far.GetProperty("page").GetInt32());
        Assert.Equal(pageSize, far.GetProperty("pageSize").GetInt32());
    }
}
