
namespace ExportStudio.Tests.Api.Sessions;

/// <summary>The sessions resource over HTTP: pickers and facets.</summary>
public sealed class SessionApiTests : ApiTest
{
    [Fact]
    public async Task Sessions_and_facets_feed_the_pickers()
    {
        var page = await Client.GetFromJsonAsync<JsonElement>("/api/v1/sessions?search=kyoto&pageSize=5");
        var facets = await Client.GetFromJsonAsync<JsonElement>("/api/v1/sessions/facets");

        Assert.True(page.GetProperty("total").GetInt32() > 0);
        Assert.All(page.GetProperty("items").EnumerateArray(), s => Assert.True(s.GetProperty("messageCount").GetInt32() >= 0));
        Assert.NotEmpty(facets.GetProperty("models").EnumerateArray());
        Assert.NotEmpty(facets.GetProperty("tags").EnumerateArray());
    }
}
