using System.IO.Compression;
using System.Security.Cryptography;
using ExportStudio.Core.Compression.Codecs;
using Microsoft.Playwright;

namespace ExportStudio.Tests.EndToEnd.Viewer;

/// <summary>
/// The viewer's modules on their own, in Chromium on the app's origin (so under its Content-Security-Policy),
/// fed bytes made here: gzip as ExportStudio writes it now and as it wrote it before, and documents cut
/// into chunks at every awkward place.
/// </summary>
public sealed class ViewerModuleTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static TheoryData<string> GzipShapes() => ["members with length fields", "members without length fields", "one member"];

    [Theory]
    [MemberData(nameof(GzipShapes))]
    public async Task Gzip_of_every_shape_inflates_in_the_browser_to_the_same_bytes(string shape)
    {
        var input = SampleData.MixedSessions((5 << 20) + 12345);
        var gzip = shape switch
        {
            "members with length fields" => await WithLengthFieldsAsync(input),
            "members without length fields" => Members(input),
            _ => Member(input),
        };
        var page = await OriginPageAsync(("/fixture/data.gz", gzip));
        await using var context = page.Context;

        var sha = await page.EvaluateAsync<string>("""
            async () => {
              const { gunzipMembers } = await import('/js/viewer/gzip-members.js');
              const response = await fetch('/fixture/data.gz');
              const chunks = (async function* () { const reader = response.body.getReader(); for (;;) { const { done, value } = await reader.read(); if (done) return; yield value; } })();
              const parts = [];
              for await (const chunk of gunzipMembers(chunks)) parts.push(chunk);
              const digest = await crypto.subtle.digest('SHA-256', await new Blob(parts).arrayBuffer());
              return [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('');
            }
            """);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(input)), sha);
    }

    [Theory]
    [InlineData("json", 1)]
    [InlineData("json", 3)]
    [InlineData("json", 4096)]
    [InlineData("jsonl", 1)]
    [InlineData("jsonl", 7)]
    public async Task The_scanner_finds_every_session_wherever_the_chunks_are_cut(string format, int chunkSize)
    {
        var sessions = new List<ChatSession>([.. HostileSessions.Create(), HtmlHostileSessions.Default, Tricky()]);
        var document = await SampleDocuments.WriteAsync(format == "json" ? ExportFormat.Json : ExportFormat.JsonLines, new ExportOptions(), sessions);
        var page = await OriginPageAsync();
        await using var context = page.Context;

        var found = await page.EvaluateAsync<string[]>("""
            async ([base64, mode, size]) => {
              const { SessionScanner } = await import('/js/viewer/session-scanner.js');
              const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
              const found = [];
              const decoder = new TextDecoder();
              const scanner = new SessionScanner(mode, {
                onHeader: (header) => found.push('header ' + header.sessionCount),
                onSession: (parts) => found.push(JSON.parse(parts.map(p => decoder.decode(p, { stream: true })).join('') + decoder.decode()).id),
              });
              for (let i = 0; i < bytes.length; i += size) scanner.push(bytes.slice(i, i + size));
              scanner.finish();
              return found;
            }
            """, new object[] { Convert.ToBase64String(document), format == "json" ? "document" : "lines", chunkSize });

        var expected = sessions.Select(s => s.Id.ToString()).ToList();
        Assert.Equal(format == "json" ? ["header " + sessions.Count, .. expected] : expected, found);
    }

    /// <summary>Strings that look like structure: quotes after runs of backslashes, brackets, a key named sessions.</summary>
    private static ChatSession Tricky()
    {
        var session = new ChatSession { Id = Guid.NewGuid(), Title = "\"sessions\":[{\\", Model = "]}", MetadataJson = """{"sessions":[1,{"a":"}]\\\"\\\\"}]}""", CreatedAt = HostileSessions.Time, UpdatedAt = HostileSessions.Time };
        session.Messages.Add(new ChatMessage { Id = Guid.NewGuid(), SessionId = session.Id, Role = MessageRole.User, CreatedAt = HostileSessions.Time, Content = "\\\\\\\"}\\\\\"]{[\\" });
        return session;
    }

    private async Task<IPage> OriginPageAsync(params (string Path, byte[] Body)[] fixtures)
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = browser.App.Address.ToString() });
        var page = await context.NewPageAsync();
        foreach (var (path, body) in fixtures)
        {
            await page.RouteAsync("**" + path, route => route.FulfillAsync(new() { Status = 200, ContentType = "application/gzip", BodyBytes = body }));
        }
        // Any response of the app carries its policy; a small one will do.
        await page.GotoAsync("/lib/zstd-stream/PROVENANCE.txt");
        return page;
    }

    private static async Task<byte[]> WithLengthFieldsAsync(byte[] input)
    {
        using var output = new MemoryStream();
        await using (var gzip = new ParallelGzipStream(output, 6, 2))
        {
            await gzip.WriteAsync(input);
            await gzip.FinishAsync();
        }
        return output.ToArray();
    }

    /// <summary>Concatenated members of 2 MiB blocks, as ExportStudio wrote tar.gz before the length field.</summary>
    private static byte[] Members(byte[] input) =>
        [.. input.Chunk(ParallelGzipStream.BlockSize).SelectMany(Member)];

    private static byte[] Member(byte[] block)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(block);
        }
        return output.ToArray();
    }
}
