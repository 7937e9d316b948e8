
namespace ExportStudio.Tests.Api.Exports;

/// <summary>Export history over HTTP: listing and paging, cancelling and deleting.</summary>
public sealed class ExportHistoryTests : ApiTest
{
    [Fact]
    public async Task Deleting_an_export_removes_its_file_and_cancelling_a_finished_one_is_a_conflict()
    {
        var job = await ExportAsync(new { format = "markdown", options = new { compressionFormat = "tar.gz" } });
        var id = job.GetProperty("jobId").GetGuid();
        var path = Path.Combine(App.ExportDirectory, job.GetProperty("fileInfo").GetProperty("fileName").GetString()!);
        Assert.True(File.Exists(path));

        using var cancel = await Client.PostAsync($"/api/v1/export/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Contains("already completed", await cancel.Content.ReadAsStringAsync());

        using var delete = await Client.DeleteAsync($"/api/v1/export/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.False(File.Exists(path));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/export/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"/api/v1/export/{id}")).StatusCode);
    }

    [Fact]
    public async Task History_is_newest_first_and_paged()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await ExportAsync(new { format = "csv", filters = new { search = "kyoto" } })).GetProperty("jobId").GetGuid());
        }

        var first = await Client.GetFromJsonAsync<JsonElement>("/api/v1/export?page=1&pageSize=2");
        var second = await Client.GetFromJsonAsync<JsonElement>("/api/v1/export?page=2&pageSize=2");

        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal([ids[2], ids[1]], first.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("jobId").GetGuid()));
        Assert.Equal([ids[0]], second.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("jobId").GetGuid()));
    }
}
