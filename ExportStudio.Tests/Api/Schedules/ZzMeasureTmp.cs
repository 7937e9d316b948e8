namespace ExportStudio.Tests.Api.Schedules;

public sealed class ZzMeasureTmp() : ApiTest(demoSessions: 600)
{
    [Fact]
    public async Task Measure()
    {
        var job = await ExportAsync(new { format = "json", options = new { compressionFormat = "tar", layout = "per-session" } });
        var bytes = await Client.GetByteArrayAsync($"/api/v1/export/{job.GetProperty("jobId").GetGuid()}/download");
        await File.WriteAllBytesAsync("/tmp/sdict/sessions.tar", bytes);
        var one = await ExportAsync(new { format = "json", options = new { compressionFormat = "none" } });
        await File.WriteAllBytesAsync("/tmp/sdict/all.json", await Client.GetByteArrayAsync($"/api/v1/export/{one.GetProperty("jobId").GetGuid()}/download"));
    }
}
