using System.Net.Sockets;
using System.Text;

namespace ExportStudio.Tests.Api;

/// <summary>HEAD wherever GET answers on the API, on the real Kestrel: the same status and headers, and no body on the wire.</summary>
public sealed class HeadRequestTests : IAsyncLifetime
{
    private static readonly string[] Compared = ["Content-Type", "Content-Length", "ETag", "Accept-Ranges", "Content-Disposition", "Last-Modified", "Vary"];
    private readonly TempDirectory _directory = new();
    private AppProcess _app = null!;

    public async Task InitializeAsync() =>
        _app = await AppProcess.StartAsync(_directory.Combine("exportstudio.db"), _directory.Combine("exports"), demoSessions: 20);

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("tar.gz")]
    public async Task Head_answers_every_get_of_the_api_with_its_headers_and_no_body(string compression)
    {
        using var client = _app.CreateClient();
        var job = await client.WaitForExportAsync(await client.CreateExportAsync(new { format = "json", options = new { compressionFormat = compression } }));
        var id = job.GetProperty("jobId").GetGuid();
        string[] paths =
        [
            $"/api/v1/export/{id}/download", $"/api/v1/export/{id}/download?decompress=true", $"/api/v1/export/{id}",
            "/api/v1/export?page=1&pageSize=5", "/api/v1/sessions?search=kyoto", "/api/v1/sessions/facets",
        ];

        foreach (var path in paths)
        {
            using var get = await client.GetAsync(path);
            var (status, headers, body) = await HeadAsync(path);

            Assert.True(status == 200, $"HEAD {path} answered {status}");
            Assert.True(get.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)get.StatusCode}");
            Assert.True(body.Length == 0, $"HEAD {path} sent {body.Length} body bytes");
            foreach (var name in Compared)
            {
                var expected = get.Headers.TryGetValues(name, out var values) || get.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
                if (name == "Content-Length" && get.Headers.TransferEncodingChunked == true)
                {
                    expected = null; // a streamed GET has no length to announce, nor has its HEAD
                }
                headers.TryGetValue(name, out var actual);
                Assert.True(expected == actual, $"{path}: {name} is '{actual}' on HEAD and '{expected}' on GET");
            }
        }
        var (_, download, _) = await HeadAsync($"/api/v1/export/{id}/download");
        Assert.Equal(job.GetProperty("fileInfo").GetProperty("compressedSize").GetInt64().ToString(), download["Content-Length"]);
        Assert.StartsWith("attachment", download["Content-Disposition"]);
    }

    /// <summary>A HEAD request over a raw socket: what Kestrel puts on the wire, body bytes included.</summary>
    private async Task<(int Status, Dictionary<string, string> Headers, byte[] Body)> HeadAsync(string path)
    {
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tcp.ConnectAsync(_app.Address.Host, _app.Address.Port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HEAD {path} HTTP/1.1\r\nHost: {_app.Address.Authority}\r\nConnection: close\r\n\r\n"), timeout.Token);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token);

        var bytes = received.ToArray();
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, $"HEAD {path}: no complete response: {Encoding.ASCII.GetString(bytes)}");
        var lines = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(p => p[1].Trim())), StringComparer.OrdinalIgnoreCase);
        return (int.Parse(lines[0].Split(' ')[1]), headers, bytes[(end + 4)..]);
    }
}
