using System.Diagnostics;
using System.Text.Encodings.Web;
using Microsoft.Extensions.DependencyInjection;

namespace ExportStudio.Tests.Importing;

[CollectionDefinition(nameof(MemoryMeasurements), DisableParallelization = true)]
public sealed class MemoryMeasurements;

/// <summary>
/// A large export streams through the import: one conversation in memory at a time, not the file. Measured
/// alone (its collection runs after the parallel ones), since the heap it watches is the test process's.
/// </summary>
[Collection(nameof(MemoryMeasurements))]
public sealed class LargeImportTests : IAsyncLifetime
{
    private const long FileBytes = 50L << 20;
    private readonly ExportStudioApp _app = new();
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"chatgpt-large-{Guid.NewGuid():N}.json");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        File.Delete(_file);
        await _app.DisposeAsync();
    }

    /// <remarks>
    /// Measured through the import service the endpoint calls with its spool file: the test server's
    /// in-memory transport holds an uploaded body in the test's own heap, which a real socket does not.
    /// </remarks>
    [Fact]
    public async Task A_50_MB_ChatGPT_export_imports_with_the_heap_far_below_the_file_size()
    {
        var conversations = LargeChatGptExport.Write(_file, FileBytes);
        var imports = _app.Services.GetRequiredService<ImportService>();
        await imports.ImportAsync(new MemoryStream(ImportFixtures.Read("chatgpt/older-conversations.json")));
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var sampler = new HeapSampler();

        await using var upload = File.OpenRead(_file);
        var result = await imports.ImportAsync(upload);
        var peak = sampler.Stop() - baseline;

        Assert.Equal("chatgpt", result.Source);
        Assert.Equal(conversations, result.Imported);
        // What an import may hold is fixed by its chunk (4 MB of text, twice that as .NET strings) and its
        // read-ahead (as much again), 16 MB, plus the conversation being parsed and the chunk's records,
        // whatever the file's size; the file's sessions held whole would take over 100 MB. (A 20 MB bound
        // left too little for those: a loaded machine, whose writer lags, once reached 22 MB.)
        Assert.True(peak < 24L << 20, $"The heap grew by {peak / (1 << 20)} MB while a {FileBytes / (1 << 20)} MB file was imported.");
        await using var db = _app.CreateDbContext();
        Assert.Equal(conversations + 2, db.Sessions.Count());
    }

    /// <summary>
    /// Measures what the heap holds alive, ten times a second from its own thread, and keeps the most seen:
    /// a full collection before each reading, so garbage the collector has not come to yet is not counted.
    /// </summary>
    private sealed class HeapSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;

        public HeapSampler()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true);
                    _peak = Math.Max(_peak, GC.GetTotalMemory(false));
                    Thread.Sleep(100);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            return _peak;
        }

        public void Dispose() => Stop();
    }
}

/// <summary>Writes a ChatGPT-shaped conversations.json of about the size asked for, streamed to disk.</summary>
public static class LargeChatGptExport
{
    public static int Write(string path, long bytes)
    {
        using var file = File.Create(path);
        using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default });
        writer.WriteStartArray();
        var count = 0;
        var start = 1_700_000_000.0;
        while (writer.BytesCommitted + writer.BytesPending < bytes)
        {
            WriteConversation(writer, count++, start + count * 60);
            if (writer.BytesPending > 1 << 20)
            {
                writer.Flush();
            }
        }
        writer.WriteEndArray();
        return count;
    }

    private static void WriteConversation(Utf8JsonWriter writer, int number, double time)
    {
        var id = SourceIds.NameBased($"large:{number}").ToString();
        writer.WriteStartObject();
        writer.WriteString("title", $"Conversation {number} ✨");
        writer.WriteNumber("create_time", time);
        writer.WriteNumber("update_time", time + 50);
        writer.WriteStartObject("mapping");
        var nodes = Enumerable.Range(0, 9).Select(n => SourceIds.NameBased($"large:{number}:{n}").ToString()).ToList();
        writer.WriteStartObject("root");
        writer.WriteNull("message");
        writer.WriteNull("parent");
        writer.WriteStartArray("children");
        writer.WriteStringValue(nodes[0]);
        writer.WriteEndArray();
        writer.WriteEndObject();
        for (var n = 0; n < nodes.Count; n++)
        {
            WriteNode(writer, nodes, n, time + n);
        }
        writer.WriteEndObject();
        writer.WriteString("current_node", nodes[^1]);
        writer.WriteString("default_model_slug", "gpt-4o");
        writer.WriteString("conversation_id", id);
        writer.WriteString("id", id);
        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, List<string> nodes, int n, double time)
    {
        writer.WriteStartObject(nodes[n]);
        writer.WriteString("id", nodes[n]);
        writer.WriteStartObject("message");
        writer.WriteString("id", nodes[n]);
        writer.WriteStartObject("author");
        writer.WriteString("role", n % 2 == 0 ? "user" : "assistant");
        writer.WriteEndObject();
        writer.WriteNumber("create_time", time);
        writer.WriteStartObject("content");
        writer.WriteString("content_type", "text");
        writer.WriteStartArray("parts");
        writer.WriteStringValue(string.Concat(Enumerable.Repeat($"Message {n} of a long conversation, with some text to make it weigh what real ones do. ", 6)));
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartObject("metadata");
        writer.WriteString("model_slug", "gpt-4o");
        writer.WriteEndObject();
        writer.WriteString("recipient", "all");
        writer.WriteEndObject();
        writer.WriteString("parent", n == 0 ? "root" : nodes[n - 1]);
        writer.WriteStartArray("children");
        if (n + 1 < nodes.Count)
        {
            writer.WriteStringValue(nodes[n + 1]);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
