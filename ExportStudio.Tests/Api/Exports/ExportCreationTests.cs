using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Tests.Api.Exports;

/// <summary>Creating exports over HTTP against the real app: the job resource it answers with, and every problem a request can have.</summary>
public sealed class ExportCreationTests : ApiTest
{
    [Fact]
    public async Task Creating_an_export_answers_202_with_its_location_and_the_job_resource()
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/export", new { format = "csv", options = new { compressionFormat = "zstd", compressionLevel = 7 } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = job.GetProperty("jobId").GetGuid();
        Assert.Equal($"/api/v1/export/{id}", response.Headers.Location?.ToString());
        Assert.Equal("queued", job.GetProperty("status").GetString());
        Assert.Equal("csv", job.GetProperty("format").GetString());
        Assert.Equal("zstd", job.GetProperty("compressionFormat").GetString());
        Assert.Equal(7, job.GetProperty("options").GetProperty("compressionLevel").GetInt32());
        Assert.EndsWith("Z", job.GetProperty("createdAt").GetString());

        var done = await Client.WaitForExportAsync(id);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetProperty("percent").GetDouble());
        var file = done.GetProperty("fileInfo");
        Assert.Equal($"export_{id}.csv.zst", file.GetProperty("fileName").GetString());
        Assert.Equal("application/zstd", file.GetProperty("contentType").GetString());
        Assert.True(file.GetProperty("compressionSavingsPercent").GetDouble() > 50);
        Assert.Equal(30, done.GetProperty("sessionCount").GetInt32());
    }

    [Fact]
    public async Task Validation_problems_list_every_bad_field()
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/export", new
        {
            format = "xml",
            filters = new { from = "2026-05-01T00:00:00Z", to = "2026-01-01T00:00:00Z", sessionIds = new[] { "nope" } },
            options = new { compressionFormat = "zstd", compressionLevel = 40 },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Contains("Unknown format 'xml'", errors.GetProperty("format")[0].GetString());
        Assert.Contains("allowed levels are 1-22", errors.GetProperty("options.compressionLevel")[0].GetString());
        Assert.Contains("'from' must not be later than 'to'", errors.GetProperty("filters.from")[0].GetString());
        Assert.Contains("is not a session id", errors.GetProperty("filters.sessionIds[0]")[0].GetString());
        await using var db = App.CreateDbContext();
        Assert.Equal(0, await db.ExportJobs().CountAsync());
    }

    [Theory]
    [InlineData("zstd", "document", "true", "options.dictionary", "per-session")]
    [InlineData("tar.zst", "per-session", "true", "options.dictionary", "runs as tar.zst")]
    [InlineData("zstd", "flat", "null", "options.layout", "Allowed: document, per-session")]
    [InlineData("zstd", "per-session", "\"yes\"", "options.dictionary", "true or false")]
    public async Task Bad_layout_and_dictionary_combinations_are_refused_naming_what_is_allowed(string compression, string layout, string dictionary, string field, string says)
    {
        var body = $"{{\"format\":\"json\",\"options\":{{\"compressionFormat\":\"{compression}\",\"layout\":\"{layout}\",\"dictionary\":{dictionary}}}}}";
        using var response = await Client.PostAsync("/api/v1/export", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(says, errors.GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task An_export_that_selects_no_session_is_refused_with_the_reason_on_the_filters()
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/export", new { format = "json", filters = new { search = "no session has this text 7d1e" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ExportJobService.NothingSelected, problem.GetProperty("errors").GetProperty("filters")[0].GetString());
        await using var db = App.CreateDbContext();
        Assert.Equal(0, await db.ExportJobs().CountAsync());
    }
}
