using System.Text;

namespace ExportStudio.Tests.Support;

/// <summary>Deterministic test inputs: plain text, and mixed session-like JSON with code, non-Latin text, emoji and blobs.</summary>
public static class SampleData
{
    public static byte[] Text(int bytes)
    {
        const string paragraph = "The quick brown fox jumps over the lazy dog while the export runs in the background. ";
        var builder = new StringBuilder(bytes + paragraph.Length);
        while (builder.Length < bytes)
        {
            builder.Append(paragraph);
        }
        return Encoding.ASCII.GetBytes(builder.ToString(0, bytes));
    }

    public static byte[] MixedSessions(int bytes, int seed = 7)
    {
        var random = new Random(seed);
        string[] fragments =
        [
            "Let me walk through this step by step.", "東京から京都までは新幹線で約2時間15分です。", "Привет! Давай разберём эту задачу.",
            "مرحبا، هل يمكنك مساعدتي؟", "Great job 🎉🚀 — shipped! 👩‍💻", "```csharp\nawait foreach (var s in sessions) { }\n```",
            "SELECT model, COUNT(*) FROM sessions GROUP BY model;", "The index on (created_at, model) covers both filters.",
        ];
        using var output = new MemoryStream(bytes + 4096);
        var blob = new byte[96];
        var id = new byte[16];
        var index = 0;
        while (output.Length < bytes)
        {
            random.NextBytes(blob);
            // Ids from the seed too: the same call gives the same bytes, so a test that fails fails again.
            random.NextBytes(id);
            var line = $$"""{"id":"{{new Guid(id)}}","index":{{index++}},"role":"{{(index % 2 == 0 ? "user" : "assistant")}}","content":"{{fragments[random.Next(fragments.Length)].Replace("\n", "\\n").Replace("\"", "\\\"")}} {{fragments[random.Next(fragments.Length)].Replace("\n", "\\n").Replace("\"", "\\\"")}}","blob":"{{Convert.ToBase64String(blob, 0, random.Next(8, 96))}}","score":{{random.NextDouble():F4}}}""" + "\n";
            output.Write(Encoding.UTF8.GetBytes(line));
        }
        return output.GetBuffer().AsSpan(0, bytes).ToArray();
    }
}
