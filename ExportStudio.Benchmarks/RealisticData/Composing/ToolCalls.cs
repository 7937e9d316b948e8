using System.Globalization;
using ExportStudio.Benchmarks.RealisticData.Corpus;
using static ExportStudio.Benchmarks.RealisticData.Composing.Markup;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// The tools an assistant calls in a project session: reading one of its files, searching the docs it
/// uses, running its tests or build. Results carry real content (the file, doc snippets, the log), as
/// agentic chats' results do; a share of outputs is also shown as a tool message.
/// </summary>
internal sealed class ToolCalls(ProjectLogs logs, Usage usage)
{
    // Bigger files are cut, as file-reading tools cap their results.
    private const int MaxFileChars = 24_000;

    private readonly record struct Call(string Name, string Arguments, string Result, string? Output);

    public void Add(Rng rng, Project project, ChatMessage assistant, Conversation chat)
    {
        var calls = rng.Chance(0.8) ? 1 : rng.Next(2, 4);
        for (var c = 0; c < calls; c++)
        {
            var call = rng.Next(3) switch
            {
                0 => ReadFile(rng, project),
                1 => SearchDocs(rng, project),
                _ => RunCommand(rng, project),
            };
            assistant.ToolCalls.Add(new ToolCall
            {
                Id = "call_" + Hex12(rng) + Hex12(rng),
                MessageId = assistant.Id,
                Order = c,
                Name = call.Name,
                ArgumentsJson = call.Arguments,
                // A call interrupted or still running has no result.
                ResultJson = rng.Chance(0.05) ? null : call.Result,
            });
            if (call.Output is not null && rng.Chance(0.3)) chat.Add(rng, MessageRole.Tool, call.Output);
        }
    }

    private Call ReadFile(Rng rng, Project project)
    {
        var file = rng.Pick(project.Files);
        var content = string.Join("\n\n", file.Units.Select(u => u.Text));
        var truncated = content.Length > MaxFileChars;
        if (truncated) content = content[..MaxFileChars];
        foreach (var unit in file.Units) usage.Add(file.Source, unit, unit.Text.Length);
        return new Call("read_file", Json(new { path = file.Path }), Json(new { path = file.Path, content, truncated }), null);
    }

    private Call SearchDocs(Rng rng, Project project)
    {
        var query = StripMarkup(rng.Pick(project.Docs).Title);
        var results = Enumerable.Range(0, rng.Next(2, 6)).Select(_ =>
        {
            var section = rng.Pick(project.Docs);
            var paragraph = section.Blocks.OfType<TextBlock>().FirstOrDefault();
            var snippet = Truncate(paragraph?.Text ?? section.Title, 320);
            if (paragraph is not null) usage.Add(paragraph.Source, paragraph, snippet.Length);
            return new { title = StripMarkup(section.Title), url = DocUrl(section), snippet };
        }).ToArray();
        return new Call("search_docs", Json(new { query, limit = results.Length }), Json(new { results }), null);
    }

    private Call RunCommand(Rng rng, Project project)
    {
        var command = project.Language switch
        {
            "python" => rng.Pick(["python -m pytest -q", "pytest -x tests/", "python -m mypy src", "ruff check ."]),
            "go" => rng.Pick(["go test ./...", "go vet ./...", "go build ./..."]),
            "csharp" => rng.Pick(["dotnet build", "dotnet test --no-build", "dotnet format --verify-no-changes"]),
            _ => rng.Pick(["git status", "git log --oneline -20", "git push origin main"]),
        };
        var names = project.Files.SelectMany(f => f.Units).Select(u => u.Name).Where(n => n != "<module>").Distinct().ToList();
        if (names.Count == 0) names = ["Main", "Parse", "Handler"];
        var output = rng.Chance(0.6) ? logs.TestRun(rng, project, names) : logs.ErrorLog(rng, project);
        var arguments = Json(new { command, cwd = project.Root, timeoutSeconds = rng.Pick([30, 60, 120, 300]) });
        var result = Json(new { exitCode = rng.Chance(0.6) ? 0 : 1, output, durationMs = rng.Next(40, 90_000) });
        return new Call("run_command", arguments, result, output);
    }

    private static string Hex12(Rng rng) => rng.NextUInt64().ToString("x16", CultureInfo.InvariantCulture)[..12];
}
