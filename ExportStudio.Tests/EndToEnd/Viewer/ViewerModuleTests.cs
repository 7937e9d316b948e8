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

    /// <summary>
    /// An archive laid out like a per-session one whose manifest.json is not an ExportStudio manifest must be
    /// refused with a reason, not shown as the manifest's file list dressed up as empty sessions (the real
    /// ones are read: ViewerPerSessionTests).
    /// </summary>
    [Fact]
    public async Task An_archive_with_a_file_per_session_is_refused_with_a_reason_rather_than_shown_from_its_manifest()
    {
        var session = await SampleDocuments.WriteAsync(ExportFormat.Json, new ExportOptions(), [HtmlHostileSessions.Default]);
        using var tar = new MemoryStream();
        await using (var writer = new System.Formats.Tar.TarWriter(tar, System.Formats.Tar.TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, body) in new[] { ("manifest.json", """{"sessions":[{"id":"a","path":"sessions/a.json"}]}"""u8.ToArray()), ($"sessions/{HtmlHostileSessions.Default.Id}.json", session) })
            {
                await writer.WriteEntryAsync(new System.Formats.Tar.UstarTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { DataStream = new MemoryStream(body) });
            }
        }
        var page = await OriginPageAsync(("/fixture/per-session.tar", tar.ToArray()));
        await using var context = page.Context;

        var messages = await page.EvaluateAsync<string[]>("""
            () => new Promise((resolve) => {
              const seen = [];
              const worker = new Worker('/js/viewer/viewer-worker.js', { type: 'module' });
              worker.onmessage = ({ data }) => {
                seen.push(data.type === 'error' ? 'error: ' + data.message : data.type === 'entry' ? 'entry ' + data.entry.name + (data.entry.opened ? ' opened' : '') : data.type);
                if (data.type === 'error' || data.type === 'done') { worker.terminate(); resolve(seen); }
              };
              worker.postMessage({ type: 'start', url: '/fixture/per-session.tar', documentName: 'export.json' });
            })
            """);

        Assert.Contains("entry manifest.json", messages);
        Assert.DoesNotContain(messages, m => m.EndsWith(" opened", StringComparison.Ordinal) || m == "sessions" || m == "header");
        Assert.Contains(messages, m => m.StartsWith("error: This archive holds a file per session (manifest.json)", StringComparison.Ordinal));
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
            // On the context, not the page: the viewer fetches from its worker.
            await context.RouteAsync("**" + path, route => route.FulfillAsync(new() { Status = 200, ContentType = "application/gzip", BodyBytes = body }));
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
