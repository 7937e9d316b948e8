
namespace ExportStudio.Tests.Support;

/// <summary>The export API as a test script would call it.</summary>
public static class ExportApiClient
{
    /// <summary>POSTs a create-export body and returns the new job's id (asserting 202).</summary>
    public static async Task<Guid> CreateExportAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/export", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
    }

    public static Task<JsonElement> GetExportAsync(this HttpClient client, Guid jobId, CancellationToken cancellationToken = default) =>
        client.GetFromJsonAsync<JsonElement>($"/api/v1/export/{jobId}", cancellationToken);

    /// <summary>Polls the job until it is completed, failed or cancelled, and returns it.</summary>
    public static async Task<JsonElement> WaitForExportAsync(this HttpClient client, Guid jobId, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            var job = await client.GetExportAsync(jobId, cancellation.Token);
            if (job.GetProperty("status").GetString() is "completed" or "failed" or "cancelled")
            {
                return job;
            }
            await Task.Delay(50, cancellation.Token);
        }
    }
}
