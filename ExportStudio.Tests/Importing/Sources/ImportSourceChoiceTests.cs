namespace ExportStudio.Tests.Importing.Sources;

/// <summary>Which reader reads a file: recognised from the content whatever the name, or forced with ?source=; a structure none reads is a 400 listing them.</summary>
public sealed class ImportSourceChoiceTests : ImportSourceTest
{
    [Theory]
    [InlineData("chatgpt/conversations.json", "chatgpt")]
    [InlineData("claude/older-conversations.json", "claude")]
    [InlineData("openwebui/single-chat.json", "openwebui")]
    [InlineData("librechat/tree.json", "librechat")]
    [InlineData("openai-jsonl/dpo.jsonl", "openai-jsonl")]
    [InlineData("sharegpt/dataset.jsonl", "sharegpt")]
    [InlineData("exportstudio/document.json", "exportstudio")]
    [InlineData("exportstudio/sessions.jsonl", "exportstudio")]
    public async Task Every_source_is_recognised_from_its_content(string fixture, string source)
    {
        var (result, _) = await ImportAsync(fixture);

        Assert.Equal(source, result.GetProperty("source").GetString());
    }

    [Fact]
    public async Task An_unknown_structure_is_refused_with_the_list_of_what_is_read_and_nothing_is_written()
    {
        var (status, problem) = await Client.ImportAsync("""[{"question": "2+2?", "answer": "4"}]"""u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var detail = problem.GetProperty("detail").GetString()!;
        var sources = problem.GetProperty("sources").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.Equal(["chatgpt", "claude", "exportstudio", "librechat", "openai-jsonl", "openwebui", "sharegpt"], sources.Order());
        Assert.All(sources, name => Assert.Contains(name, detail));
        Assert.Empty(await App.SessionsAsync());
    }

    [Fact]
    public async Task The_source_named_reads_the_file_and_a_file_it_cannot_read_is_refused_whole()
    {
        var (forced, _) = await ImportAsync("claude/conversations.json", source: "claude");
        Assert.Equal("claude", forced.GetProperty("source").GetString());

        var (status, problem) = await Client.ImportAsync(ImportFixtures.Read("chatgpt/conversations.json"), source: "sharegpt");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("sharegpt", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(await App.SessionsAsync(), s => s.Source == "chatgpt");
    }

    [Fact]
    public async Task An_unknown_source_name_is_refused_naming_the_sources()
    {
        var (status, problem) = await Client.ImportAsync(ImportFixtures.Read("chatgpt/conversations.json"), source: "gemini");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'gemini' is not a source ExportStudio reads", problem.GetProperty("detail").GetString());
        Assert.Contains("chatgpt", problem.GetProperty("detail").GetString());
    }
}
