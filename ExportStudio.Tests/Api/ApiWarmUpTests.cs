using ExportStudio.Web.Api;
using ExportStudio.Web.Api.Exports;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExportStudio.Tests.Api;

public sealed class ApiWarmUpTests
{
    [Fact]
    public async Task The_warm_up_prepares_the_contracts_of_the_bodies_the_api_accepts_and_the_resources_it_answers_with()
    {
        await using var app = new ExportStudioApp();
        _ = app.Server;

        var prepared = app.Services.GetRequiredService<ApiWarmUp>().Run();

        Assert.Contains(typeof(CreateExportBody), prepared);
        Assert.Contains(typeof(ExportJobResource), prepared);
        Assert.Contains(typeof(ExportJobListResource), prepared);
        // Built on the options the answers are written with, which are read-only from then on.
        Assert.True(app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions.IsReadOnly);
    }

    [Fact]
    public async Task An_app_started_with_the_warm_up_answers_the_api_as_one_without_it()
    {
        await using var app = new ExportStudioApp(demoSessions: 3, new Dictionary<string, string?> { ["ExportStudio:WarmUp"] = "true" });
        using var client = app.CreateClient();

        using var created = await client.PostAsJsonAsync("/api/v1/export", new { format = "json", options = new { compressionFormat = "zstd", compressionLevel = 3 } });
        var job = await created.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        Assert.Equal("json", job.GetProperty("formats")[0].GetString());
        Assert.Equal("zstd", job.GetProperty("options").GetProperty("compressionFormat").GetString());
    }
}
