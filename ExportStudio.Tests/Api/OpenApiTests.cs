
namespace ExportStudio.Tests.Api;

/// <summary>The OpenAPI document the app serves.</summary>
public sealed class OpenApiTests : ApiTest
{
    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        string[][] expected =
        [
            ["/api/v1/export", "post"], ["/api/v1/export", "get"], ["/api/v1/export/{jobId}", "get"], ["/api/v1/export/{jobId}", "delete"],
            ["/api/v1/export/{jobId}/download", "get"], ["/api/v1/export/{jobId}/cancel", "post"], ["/api/v1/import", "post"],
            ["/api/v1/sessions", "get"], ["/api/v1/sessions/facets", "get"], ["/api/v1/dictionaries/{dictionaryId}", "get"],
        ];
        foreach (var pair in expected)
        {
            Assert.True(paths.TryGetProperty(pair[0], out var path) && path.TryGetProperty(pair[1], out _), $"{pair[1].ToUpperInvariant()} {pair[0]} is not in the OpenAPI document");
        }
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("CreateExportBody", out _));
        Assert.True(schemas.TryGetProperty("ExportJobResource", out _));
        Assert.True(schemas.TryGetProperty("ExportDictionaryResource", out _), "the job resource's dictionary is described");
    }
}
