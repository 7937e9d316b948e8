using System.Diagnostics;
using System.Net.Http.Headers;

namespace ExportStudio.Benchmarks.EndToEnd;

internal static class TimedImport
{
    /// <summary>
    /// The file as the raw body of <c>POST /api/v1/import</c> (as <c>curl --data-binary @file</c> sends it),
    /// timed over the request's whole time, upload included; the answer's body, or an exception naming the status.
    /// </summary>
    public static async Task<(double Seconds, string Body)> PostAsync(HttpClient client, string file)
    {
        await using var upload = File.OpenRead(file);
        var content = new StreamContent(upload, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var stopwatch = Stopwatch.StartNew();
        using var response = await client.PostAsync("/api/v1/import", content);
        stopwatch.Stop();
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Importing {file} answered {(int)response.StatusCode}: {body}");
        }
        return (stopwatch.Elapsed.TotalSeconds, body);
    }
}
