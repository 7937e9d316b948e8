using static ExportStudio.Core.Data.MessageRole;

namespace ExportStudio.Tests.Importing.Sources;

/// <summary>LibreChat's conversation export in its shapes: flat with branches, the 2024 messagesTree, the recursive agents tree, the Assistants endpoint.</summary>
public sealed class LibreChatImportTests : ImportSourceTest
{
    [Fact]
    public async Task A_flat_export_with_branches_imports_the_last_sibling_at_each_level()
    {
        var (result, sessions) = await ImportAsync("librechat/flat.json");

        Assert.Equal("librechat", result.GetProperty("source").GetString());
        Assert.Equal(1, result.Dropped("image"));
        var chat = sessions.Session("0b2984f0-ea96-4efc-8033-5a8ec71263e6");
        Assert.Equal(("Big-O for a five-year-old 🧸", "gpt-4o", "librechat"), (chat.Title, chat.Model, chat.Source));
        Assert.Equal(1, chat.Origin().GetProperty("branches").GetInt32());
        Assert.Equal("openAI", chat.Origin().GetProperty("endpoint").GetString());
        Transcript.Is(chat,
            (User, "2025-05-12T08:00:03.120Z", "89425ccc-0406-4083-a21c-d4fff838572a", "Explain Big-O notation like I'm five."),
            (Assistant, "2025-05-12T08:01:02.417Z", "9bf9ac9b-a8f9-4123-9a02-c03632a2412d", "Imagine you have a box of toys…"),
            (User, "2025-05-12T08:02:10.005Z", "92b74643-6b52-4855-b66d-30483d39002f", "And O(n log n)?"),
            (Assistant, "2025-05-12T08:02:12.771Z", "ea869a78-7339-42e1-9782-7ab35284af1e", "O(n log n) is like sorting your toys…"));
        await AssertReimportSkipsAllAsync("librechat/flat.json", 1);
    }

    [Fact]
    public async Task The_2024_messagesTree_imports_with_its_system_prompt_kept_and_missing_times_filled_from_the_message_before()
    {
        var (_, sessions) = await ImportAsync("librechat/tree.json");

        var chat = sessions.Session("6f75309b-877f-4d67-b46d-0cf4eae90f9e");
        Assert.Equal("gpt-4-turbo", chat.Model);
        Assert.Equal("You are a senior Linux administrator.", chat.Origin().GetProperty("systemPrompt").GetString());
        Assert.Equal(1, chat.Origin().GetProperty("branches").GetInt32());
        Transcript.Is(chat,
            (User, "2024-05-01T16:35:11.530Z", "24474cc5-bf70-4aee-bfa1-d111f9fdd3a8", "My backup script works when I run it but not from cron. Why?"),
            (Assistant, "2024-05-01T16:35:12.604Z", null, "A cron job that runs fine by hand but fails under cron is almost always an environment problem…"),
            (User, "2024-05-01T16:35:12.604Z", "440aa63b-1b36-493c-b0ce-0d5e565de47b", "it still fails with exit code 127 😬"),
            (Assistant, "2024-05-01T16:35:12.604Z", "fa06208b-61c9-4534-928d-e3e4f14b9fbf", "Exit code 127 means \"command not found\"…"));
    }

    [Fact]
    public async Task An_agents_export_imports_content_parts_as_text_and_tool_calls_and_keeps_the_error_answer()
    {
        var (result, sessions) = await ImportAsync("librechat/agents.json");

        Assert.Equal(1, result.Dropped("reasoning"));
        var chat = sessions.Session("8d717bb7-86d8-4159-ade3-099f7735f77a");
        Assert.Equal("agent_Xy12AbCd34EfGh56IjKl", chat.Model);
        Transcript.Is(chat,
            (User, "2025-11-20T14:01:01.004Z", null, "Find the latest stable Python version and how to check mine."),
            (Assistant, "2025-11-20T14:01:02.318Z", null, "The latest stable release is Python 3.14.2. Check what you have with `python3 --version`."),
            (User, null, null, "Thanks! Now run `python3 --version` in the sandbox."),
            (Assistant, null, null, "Your sandbox has Python 3.12.3, so it is two minor versions behind the latest release."),
            (User, null, null, "¿Y en Windows?"),
            (Assistant, "2025-11-20T14:05:41.093Z", null, "Something went wrong. Here's the specific error message we encountered: 429 Rate limit reached for requests"));
        Assert.Equal("web_search", chat.Call(1).Name);
        ImportFixtures.SameJson("""{"query":"latest stable python version"}""", chat.Call(1).ArgumentsJson);
        Assert.StartsWith("1. Python Release Python 3.14.2", chat.Call(1).ResultText());
        Assert.Equal("execute_code", chat.Call(3).Name);
        Assert.Equal("stdout:\nPython 3.12.3\n", chat.Call(3).ResultText());
    }

    [Fact]
    public async Task An_assistants_export_imports_text_value_parts_and_the_code_interpreter_call()
    {
        var (_, sessions) = await ImportAsync("librechat/assistants.json");

        var chat = sessions.Session("7131785b-5f9e-4d45-a185-41c713cc871e");
        Transcript.Is(chat,
            (User, "2024-08-05T09:10:01Z", null, "Describe prices.csv"),
            (Assistant, "2024-08-05T09:10:03.512Z", null, "Your CSV has 3 columns and 120 rows; the mean of `price` is 18.40."));
        Assert.Equal("code_interpreter", chat.Call(1).Name);
        Assert.Equal("import pandas as pd\ndf = pd.read_csv('prices.csv')\ndf.describe()", chat.Call(1).ArgumentsText());
        Assert.Equal("       price\ncount  120.0\nmean    18.4", chat.Call(1).ResultText());
    }
}
