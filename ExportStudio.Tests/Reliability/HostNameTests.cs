using System.Text;

namespace ExportStudio.Tests.Reliability;

/// <summary>
/// DNS rebinding: a hostile page that points its own host name at 127.0.0.1 reaches the app with that name in
/// the Host header. The real app, on Kestrel as the README starts it, answers only to the names it is
/// configured for.
/// </summary>
public sealed class HostNameTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_request_under_another_host_name_is_refused_and_changes_nothing()
    {
        await using var app = await StartAsync();
        using var client = app.CreateClient();
        var port = app.Address.Port;

        foreach (var host in new[] { "evil.example", $"evil.example:{port}", $"127.0.0.1.evil.example:{port}" })
        {
            using var api = await SendAsync(client, HttpMethod.Get, "/api/v1/sessions", host);
            using var page = await SendAsync(client, HttpMethod.Get, "/", host);
            using var import = await SendAsync(client, HttpMethod.Post, "/api/v1/import", host, new ByteArrayContent(Encoding.UTF8.GetBytes(Document())));

            foreach (var response in new[] { api, page, import })
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{host}: {(int)response.StatusCode} {text}");
                Assert.Contains("add the name to AllowedHosts", text);
                Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
                Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            }
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
            Assert.Equal("text/plain", page.Content.Headers.ContentType?.MediaType);
        }
        var sessions = await client.GetFromJsonAsync<JsonElement>("/api/v1/sessions");
        Assert.Equal(2, sessions.GetProperty("total").GetInt32());

        foreach (var host in new[] { $"localhost:{port}", $"127.0.0.1:{port}", $"[::1]:{port}", "LOCALHOST" })
        {
            using var response = await SendAsync(client, HttpMethod.Get, "/api/v1/sessions", host);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{host}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_name_added_to_allowed_hosts_is_served_and_others_still_refused()
    {
        await using var app = await StartAsync(new Dictionary<string, string> { ["AllowedHosts"] = "localhost;127.0.0.1;[::1];studio.lan" });
        using var client = app.CreateClient();

        using var lan = await SendAsync(client, HttpMethod.Get, "/api/v1/sessions", $"studio.lan:{app.Address.Port}");
        using var evil = await SendAsync(client, HttpMethod.Get, "/api/v1/sessions", "evil.example");

        Assert.Equal(HttpStatusCode.OK, lan.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, evil.StatusCode);
        Assert.Equal("application/problem+json", evil.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'evil.example' is not one of them", await evil.Content.ReadAsStringAsync());
    }

    private Task<AppProcess> StartAsync(IDictionary<string, string>? settings = null) =>
        AppProcess.StartAsync(_directory.Combine($"{Guid.NewGuid():N}.db"), _directory.Combine("exports"), settings, demoSessions: 2);

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string host, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Host = host;
        return client.SendAsync(request);
    }

    private static string Document() =>
        $$"""{"id":"{{Guid.NewGuid()}}","title":"planted","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","model":"m","tags":[],"metadata":{},"messages":[]}""" + "\n";
}
