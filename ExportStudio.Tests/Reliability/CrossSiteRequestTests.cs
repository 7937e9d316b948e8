using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Tests.Reliability;

/// <summary>
/// What a hostile web page can make a visitor's browser send to the app — a form or a "simple" fetch, with
/// the page's Origin and Sec-Fetch-Site — changes nothing; scripts, which send neither, keep working.
/// </summary>
public sealed class CrossSiteRequestTests() : ApiTest(demoSessions: 3)
{
    private const string Evil = "https://evil.example";

    [Fact]
    public async Task An_import_sent_from_another_site_is_refused_and_stores_nothing()
    {
        var attacks = new List<HttpRequestMessage>
        {
            Import(new StringContent(Document(), Encoding.UTF8, "text/plain"), origin: Evil),
            Import(Multipart(Document()), origin: Evil),
            Import(new StringContent(Document(), Encoding.UTF8, "application/x-www-form-urlencoded"), origin: "null"),
            Import(new StringContent(Document(), Encoding.UTF8, "text/plain"), fetchSite: "cross-site"),
            // Another port of the same host is the same site, but another origin.
            Import(new StringContent(Document(), Encoding.UTF8, "application/json"), origin: "http://localhost:9999", fetchSite: "same-site"),
        };

        foreach (var attack in attacks)
        {
            using var response = await Client.SendAsync(attack);
            await AssertProblemAsync(response, HttpStatusCode.Forbidden, "a page on another site may not change anything here");
        }
        Assert.Equal(3, await SessionCountAsync());

        // The same upload from a script, as the README shows it (curl --data-binary sends a form type, no Origin).
        using var script = await Client.SendAsync(Import(new StringContent(Document(), Encoding.UTF8, "application/x-www-form-urlencoded")));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(4, await SessionCountAsync());
    }

    [Fact]
    public async Task A_cross_site_form_post_cannot_cancel_or_delete_an_export()
    {
        var id = await AddRunningJobAsync();

        using var cancel = await Client.SendAsync(Request(HttpMethod.Post, $"/api/v1/export/{id}/cancel", new FormUrlEncodedContent([]), origin: Evil));
        using var delete = await Client.SendAsync(Request(HttpMethod.Delete, $"/api/v1/export/{id}", null, fetchSite: "cross-site"));

        await AssertProblemAsync(cancel, HttpStatusCode.Forbidden, $"The request comes from {Evil}, not from this app (http://localhost)");
        await AssertProblemAsync(delete, HttpStatusCode.Forbidden, "Sec-Fetch-Site: cross-site");
        await using (var db = App.CreateDbContext())
        {
            var job = await db.ExportJobs().AsNoTracking().SingleAsync(j => j.Id == id);
            Assert.Equal(ExportJobStatus.Running, job.Status);
            Assert.False(job.CancelRequested);
        }

        // The app's own origin, and a script with no body, may.
        using var own = await Client.SendAsync(Request(HttpMethod.Post, $"/api/v1/export/{id}/cancel", null, origin: "http://localhost", fetchSite: "same-origin"));
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        await using var after = App.CreateDbContext();
        Assert.True((await after.ExportJobs().AsNoTracking().SingleAsync(j => j.Id == id)).CancelRequested);
    }

    [Theory]
    [InlineData("POST", "/api/v1/import", "text/plain", null, "'text/plain' is refused")]
    [InlineData("POST", "/api/v1/import", "application/x-www-form-urlencoded", "http://localhost", "is refused from a browser page")]
    [InlineData("POST", "/api/v1/import", "multipart/mixed; boundary=x", null, "as multipart/form-data with the file in a 'file' field")]
    [InlineData("POST", "/api/v1/export/{id}/cancel", "application/x-www-form-urlencoded", null, "takes no body")]
    [InlineData("POST", "/api/v1/export/{id}/cancel", "text/plain", null, "takes no body")]
    [InlineData("DELETE", "/api/v1/export/{id}", "multipart/form-data; boundary=x", null, "takes no body")]
    public async Task A_state_changing_call_refuses_a_body_type_it_does_not_take(string method, string path, string contentType, string? origin, string expected)
    {
        var id = await AddRunningJobAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Document()));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await Client.SendAsync(Request(new HttpMethod(method), path.Replace("{id}", id.ToString()), content, origin: origin));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, expected);
        Assert.Equal(3, await SessionCountAsync());
        await using var db = App.CreateDbContext();
        var job = await db.ExportJobs().AsNoTracking().SingleAsync(j => j.Id == id);
        Assert.Equal((ExportJobStatus.Running, false), (job.Status, job.CancelRequested));
    }

    /// <summary>A job another instance is running: it stays running until someone cancels it.</summary>
    private async Task<Guid> AddRunningJobAsync()
    {
        await using var db = App.CreateDbContext();
        var job = new ExportJob
        {
            Id = Guid.NewGuid(), Status = ExportJobStatus.Running, Stage = ExportStage.Exporting, Formats = [ExportFormat.Json],
            CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow, Attempts = 1, ClaimedBy = "another-instance",
        };
        db.ExportJobs().Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    private async Task<int> SessionCountAsync()
    {
        await using var db = App.CreateDbContext();
        return await db.Sessions.CountAsync();
    }

    private static string Document() =>
        $$"""{"id":"{{Guid.NewGuid()}}","title":"planted by another site","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","model":"m","tags":[],"metadata":{},"messages":[]}""" + "\n";

    private static MultipartFormDataContent Multipart(string document) => new() { { new StringContent(document), "file", "export.jsonl" } };

    private static HttpRequestMessage Import(HttpContent content, string? origin = null, string? fetchSite = null) =>
        Request(HttpMethod.Post, "/api/v1/import", content, origin, fetchSite);

    private static HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content, string? origin = null, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
        return request;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, text);
    }
}
