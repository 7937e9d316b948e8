using static ExportStudio.Core.Data.MessageRole;

namespace ExportStudio.Tests.Importing.Sources;

/// <summary>
/// Datasets without ids or times: OpenAI chat JSONL (fine-tuning, batch, preference) and ShareGPT. Their ids
/// come from their content, so a repeated record is one session and a second import skips them all.
/// </summary>
public sealed class DatasetImportTests : ImportSourceTest
{
    [Fact]
    public async Task A_fine_tuning_file_imports_one_session_a_line_with_tool_results_on_their_calls_and_its_repeat_skipped()
    {
        var (result, sessions) = await ImportAsync("openai-jsonl/finetune.jsonl");

        Assert.Equal("openai-jsonl", result.GetProperty("source").GetString());
        Assert.Equal((7, 1, 22), (Count(result, "imported"), Count(result, "skipped"), Count(result, "messages")));
        Assert.Equal(1, result.Dropped("image"));
        Assert.All(sessions, s => Assert.Equal("openai-jsonl", s.Source));

        var geography = sessions.Single(s => s.Title == "What is the capital of Australia?");
        Transcript.Is(geography, (MessageRole.System, null, null, "You are a terse geography tutor."), (User, null, null, "What is the capital of Australia?"), (Assistant, null, null, "Canberra - not Sydney."));

        // content null with tool_calls; the tool message answering call_7QmX2 is that call's result.
        var rate = sessions.Single(s => s.Title == "How many shekels is 250 euros?");
        Transcript.Is(rate, (User, null, null, "How many shekels is 250 euros?"), (Assistant, null, null, ""), (Assistant, null, null, "250 EUR is about 980 ILS at a rate of 3.92."));
        Assert.Equal(("call_7QmX2", "get_exchange_rate"), (rate.Call(1).Id, rate.Call(1).Name));
        ImportFixtures.SameJson("""{"base": "EUR", "quote": "ILS"}""", rate.Call(1).ArgumentsJson);
        ImportFixtures.SameJson("""{"rate": 3.92}""", rate.Call(1).ResultJson);

        // Parallel calls on one message, matched to their answers by id.
        var weather = sessions.Single(s => s.Title == "Weather in Oslo and Bergen?");
        Assert.Equal([("call_a1", "Oslo: -3°C, snow"), ("call_b2", "Bergen: 4°C, rain")], weather.Messages[2].ToolCalls.Select(c => (c.Id, c.ResultText())));

        // Legacy function calling, matched by name.
        var rain = sessions.Single(s => s.Title == "Is it raining in Reykjavík?");
        Assert.Equal("get_weather", rain.Call(1).Name);
        ImportFixtures.SameJson("""{"condition": "drizzle", "temp_c": 6}""", rain.Call(1).ResultJson);

        var hebrew = sessions.Single(s => s.Title == "מה שלומך? 🙂");
        Assert.Equal("מצוין, תודה! ומה שלומך?", hebrew.Messages[1].Content);
        await AssertReimportSkipsAllAsync("openai-jsonl/finetune.jsonl", 8);
    }

    [Fact]
    public async Task A_batch_input_imports_its_chat_requests_by_custom_id_and_counts_what_is_not_a_conversation()
    {
        var (result, sessions) = await ImportAsync("openai-jsonl/batch-input.jsonl");

        Assert.Equal(3, Count(result, "imported"));
        Assert.Equal(1, result.Dropped("notConversation"));
        Assert.Equal(1, result.Dropped("image"));
        var sentiment = sessions.Session("openai-jsonl", "req-001");
        Assert.Equal("gpt-4o-mini", sentiment.Model);
        // "developer" is the newer name of the system role.
        Transcript.Is(sentiment, (MessageRole.System, null, null, "Classify the sentiment as positive, negative or neutral. Answer with one word."), (User, null, null, "The delivery was late again."));
        Transcript.Is(sessions.Session("openai-jsonl", "req-003"), (MessageRole.System, null, null, "Translate to French."), (User, null, null, "Good morning, neighbour!"));
    }

    [Fact]
    public async Task A_batch_output_imports_its_answers_with_their_times_and_counts_the_failed_request()
    {
        var (result, sessions) = await ImportAsync("openai-jsonl/batch-output.jsonl");

        Assert.Equal(2, Count(result, "imported"));
        Assert.Equal(1, result.Dropped("failedRequest"));
        var answer = sessions.Single(s => s.Model == "gpt-4o-mini-2024-07-18");
        Assert.Equal(ImportFixtures.Utc("2025-12-02T00:00:00Z"), answer.CreatedAt);
        Transcript.Is(answer, (Assistant, "2025-12-02T00:00:00Z", null, "negative"));
        Transcript.Is(sessions.Single(s => s.Model == "gpt-4.1-mini-2025-04-14"), (Assistant, "2025-12-02T00:00:01Z", null, "Bonjour, voisin !"));
    }

    [Fact]
    public async Task A_preference_file_imports_the_preferred_answer_and_counts_the_other_as_a_branch()
    {
        var (_, sessions) = await ImportAsync("openai-jsonl/dpo.jsonl");

        var tip = Assert.Single(sessions);
        Assert.Equal(1, tip.Origin().GetProperty("branches").GetInt32());
        Transcript.Is(tip, (User, null, null, "Give me a one-line tip for writing commit messages."), (Assistant, null, null, "Use the imperative mood: \"Fix login redirect\", not \"Fixed stuff\"."));
    }

    [Theory]
    [InlineData("sharegpt/dataset.json")]
    [InlineData("sharegpt/dataset.jsonl")]
    public async Task A_ShareGPT_dataset_imports_once_however_often_a_record_repeats(string fixture)
    {
        var (result, sessions) = await ImportAsync(fixture);

        Assert.Equal("sharegpt", result.GetProperty("source").GetString());
        Assert.Equal((5, 1), (Count(result, "imported"), Count(result, "skipped")));
        Assert.All(sessions, s => Assert.Equal("sharegpt", s.Source));
        Assert.All(sessions, s => Assert.False(string.IsNullOrWhiteSpace(s.Title)));
        await AssertReimportSkipsAllAsync(fixture, 6);
    }

    [Fact]
    public async Task ShareGPT_roles_map_to_ours_with_function_calls_and_observations_as_tool_calls()
    {
        var (result, sessions) = await ImportAsync("sharegpt/dataset.json");

        Assert.Equal(1, result.Dropped("emptyConversation"));
        var currency = sessions.Single(s => s.Title == "Convert 120 US dollars to yen, please.");
        Transcript.Is(currency,
            (MessageRole.System, null, null, "You are a helpful assistant with access to tools."),
            (User, null, null, "Convert 120 US dollars to yen, please."),
            (Assistant, null, null, ""),
            (Assistant, null, null, "120 USD is about 17,940 JPY."));
        Assert.Equal("convert_currency", currency.Call(2).Name);
        ImportFixtures.SameJson("""{"amount": 120, "from": "USD", "to": "JPY"}""", currency.Call(2).ArgumentsJson);
        ImportFixtures.SameJson("""{"converted_amount": 17940, "currency": "JPY"}""", currency.Call(2).ResultJson);
        Assert.Equal("convert_currency", currency.Origin().GetProperty("tools")[0].GetProperty("name").GetString());

        // The original ShareGPT dump: ids per record, the answers as the web page's HTML turned to text.
        var css = sessions.Session("sharegpt", "Xy7Qz2P_0");
        Assert.Equal(User, css.Messages[0].Role);
        Assert.StartsWith("Use flexbox on the parent:", css.Messages[1].Content);
        Assert.DoesNotContain("<p>", css.Messages[1].Content);
        var poem = sessions.Session("sharegpt", "Lm3Np9Q_0");
        Assert.Equal("رمالٌ تمتدّ إلى الأفق،\nوالنجوم تحرسها 🌙", poem.Messages[^1].Content);
    }
}
