using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Tests.Api.Sessions;

/// <summary>One session at a time over HTTP, as a chat application feeds ExportStudio: read, create or replace, append, delete.</summary>
public sealed class SessionWriteApiTests() : ApiTest(demoSessions: 0)
{
    private static readonly Guid SessionId = Guid.Parse("0b6f4c1e-2a7d-4d65-9f0e-5b8a3c2d1e01");
    private static readonly Guid FirstMessage = Guid.Parse("0b6f4c1e-2a7d-4d65-9f0e-5b8a3c2d1e11");

    private static object Session(string title = "Trip planning", params object[] messages) => new
    {
        title,
        model = "gpt-4o",
        createdAt = "2026-03-01T08:00:00Z",
        tags = new[] { "travel", "kyoto" },
        metadata = new { client = "webchat", nested = new { depth = 2 } },
        messages = messages.Length > 0 ? messages : [
            new { id = FirstMessage, role = "user", content = "Plan three days in Kyoto 🏯", createdAt = "2026-03-01T08:00:00Z" },
            new
            {
                role = "assistant", content = "Day one: Fushimi Inari.", createdAt = "2026-03-01T08:00:05Z",
                toolCalls = new[] { new { id = "call_1", name = "search", arguments = new { q = "Kyoto temples" }, result = new[] { "Kiyomizu-dera" } } },
            },
        ],
    };

    private Task<HttpResponseMessage> PutAsync(Guid id, object body) => Client.PutAsJsonAsync($"/api/v1/sessions/{id}", body);

    [Fact]
    public async Task Put_creates_then_replaces_and_get_returns_the_export_documents_session_shape()
    {
        using var created = await PutAsync(SessionId, Session());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/sessions/{SessionId}", created.Headers.Location!.OriginalString);
        var first = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.Equal(2, first.GetProperty("messageCount").GetInt32());

        using var read = await Client.GetAsync($"/api/v1/sessions/{SessionId}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal($"\"{first.GetProperty("changeSequence").GetInt64()}\"", read.Headers.ETag!.Tag);
        var session = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(SessionId, session.GetProperty("id").GetGuid());
        Assert.Equal("Trip planning", session.GetProperty("title").GetString());
        Assert.Equal("2026-03-01T08:00:00Z", session.GetProperty("createdAt").GetString());
        Assert.Equal(["travel", "kyoto"], session.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(2, session.GetProperty("metadata").GetProperty("nested").GetProperty("depth").GetInt32());
        var messages = session.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(FirstMessage, messages[0].GetProperty("id").GetGuid());
        Assert.Equal("Plan three days in Kyoto 🏯", messages[0].GetProperty("content").GetString());
        var call = Assert.Single(messages[1].GetProperty("toolCalls").EnumerateArray());
        Assert.Equal("Kyoto temples", call.GetProperty("arguments").GetProperty("q").GetString());
        Assert.Equal("Kiyomizu-dera", call.GetProperty("result")[0].GetString());

        var replacement = new { title = "Trip planning (edited)", messages = new[] { new { id = FirstMessage, role = "user", content = "Make it four days" } } };
        using var replaced = await PutAsync(SessionId, replacement);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var second = await replaced.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.True(second.GetProperty("changeSequence").GetInt64() > first.GetProperty("changeSequence").GetInt64());
        Assert.True(second.GetProperty("updatedAt").GetDateTime() > first.GetProperty("updatedAt").GetDateTime());

        var now = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{SessionId}");
        Assert.Equal("Trip planning (edited)", now.GetProperty("title").GetString());
        Assert.Equal("2026-03-01T08:00:00Z", now.GetProperty("createdAt").GetString()); // kept from the stored session
        Assert.Equal("Make it four days", Assert.Single(now.GetProperty("messages").EnumerateArray()).GetProperty("content").GetString());
        await using var db = App.CreateDbContext();
        Assert.Equal(1, await db.Messages.CountAsync());
        Assert.Equal(0, await db.ToolCalls.CountAsync());
    }

    [Fact]
    public async Task Append_adds_after_the_last_message_and_skips_the_ids_it_holds()
    {
        (await PutAsync(SessionId, Session())).EnsureSuccessStatusCode();
        var reply = Guid.NewGuid();
        var body = new { messages = new object[] { new { id = FirstMessage, role = "user", content = "again" }, new { id = reply, role = "assistant", content = "Day two: Arashiyama." } } };

        using var appended = await Client.PostAsJsonAsync($"/api/v1/sessions/{SessionId}/messages", body);
        Assert.Equal(HttpStatusCode.OK, appended.StatusCode);
        var change = await appended.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, change.GetProperty("appended").GetInt32());
        Assert.Equal(1, change.GetProperty("skipped").GetInt32());
        Assert.Equal(3, change.GetProperty("messageCount").GetInt32());

        // A retried request appends nothing twice and does not count as a change.
        using var retried = await Client.PostAsJsonAsync($"/api/v1/sessions/{SessionId}/messages", body);
        var retry = await retried.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, retry.GetProperty("appended").GetInt32());
        Assert.Equal(change.GetProperty("changeSequence").GetInt64(), retry.GetProperty("changeSequence").GetInt64());

        var session = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{SessionId}");
        var messages = session.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(3, messages.Count);
        Assert.Equal(reply, messages[2].GetProperty("id").GetGuid());
        Assert.Equal("Plan three days in Kyoto 🏯", messages[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Append_without_ids_appends_each_time_and_unknown_sessions_are_not_found()
    {
        (await PutAsync(SessionId, Session())).EnsureSuccessStatusCode();
        var body = new { messages = new[] { new { role = "user", content = "one more" } } };
        (await Client.PostAsJsonAsync($"/api/v1/sessions/{SessionId}/messages", body)).EnsureSuccessStatusCode();
        using var second = await Client.PostAsJsonAsync($"/api/v1/sessions/{SessionId}/messages", body);
        Assert.Equal(4, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageCount").GetInt32());

        using var unknown = await Client.PostAsJsonAsync($"/api/v1/sessions/{Guid.NewGuid()}/messages", body);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("create it first with PUT", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_message_id_of_another_session_is_a_conflict_and_changes_nothing()
    {
        (await PutAsync(SessionId, Session())).EnsureSuccessStatusCode();
        var other = Guid.NewGuid();
        using var put = await PutAsync(other, new { messages = new[] { new { id = FirstMessage, role = "user", content = "mine" } } });
        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"already belongs to session {SessionId}", await put.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/sessions/{other}")).StatusCode);

        (await PutAsync(other, new { title = "other" })).EnsureSuccessStatusCode();
        using var append = await Client.PostAsJsonAsync($"/api/v1/sessions/{other}/messages", new { messages = new[] { new { id = FirstMessage, role = "user", content = "mine" } } });
        Assert.Equal(HttpStatusCode.Conflict, append.StatusCode);
    }

    [Fact]
    public async Task Delete_answers_no_content_and_is_remembered_until_the_session_comes_back()
    {
        var created = await (await PutAsync(SessionId, Session())).Content.ReadFromJsonAsync<JsonElement>();

        using var deleted = await Client.DeleteAsync($"/api/v1/sessions/{SessionId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/sessions/{SessionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"/api/v1/sessions/{SessionId}")).StatusCode);
        await using (var db = App.CreateDbContext())
        {
            var deletion = await db.SessionDeletions.SingleAsync();
            Assert.Equal(SessionId, deletion.SessionId);
            Assert.True(deletion.ChangeSequence > created.GetProperty("changeSequence").GetInt64());
            Assert.Equal(0, await db.Messages.CountAsync());
        }

        (await PutAsync(SessionId, Session())).EnsureSuccessStatusCode();
        await using (var db = App.CreateDbContext())
        {
            Assert.Equal(0, await db.SessionDeletions.CountAsync());
        }
    }

    [Fact]
    public async Task Every_change_takes_the_next_value_of_one_sequence_across_sessions()
    {
        var other = Guid.NewGuid();
        var values = new List<long>();
        async Task Take(HttpResponseMessage response) => values.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changeSequence").GetInt64());
        await Take(await PutAsync(SessionId, Session()));
        await Take(await PutAsync(other, Session("Other", new { role = "user", content = "hello" })));
        await Take(await Client.PostAsJsonAsync($"/api/v1/sessions/{SessionId}/messages", new { messages = new[] { new { role = "user", content = "more" } } }));
        await Take(await PutAsync(other, Session("Other, edited", new { role = "user", content = "hello" })));

        Assert.Equal(values.Order(), values);
        Assert.Equal(values.Count, values.Distinct().Count());
        Assert.Equal(values[0] + 3, values[^1]);
    }

    [Fact]
    public async Task Bad_bodies_are_refused_with_every_field_named()
    {
        using var mismatch = await PutAsync(SessionId, new
        {
            id = Guid.NewGuid(),
            metadata = new[] { 1 },
            messages = new object[]
            {
                new { id = FirstMessage, role = "robot", content = "x" },
                new { id = FirstMessage, content = "no role" },
                new { id = "not-a-guid", role = "user", toolCalls = new[] { new { id = "", name = "search" }, new { id = "a", name = new string('n', 201) } } },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        var errors = (await mismatch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("differs from the session id in the URL", errors.GetProperty("id")[0].GetString());
        Assert.Contains("must be a JSON object", errors.GetProperty("metadata")[0].GetString());
        Assert.Contains("allowed roles are system, user, assistant, tool", errors.GetProperty("messages[0].role")[0].GetString());
        Assert.Contains("appears more than once", errors.GetProperty("messages[1].id")[0].GetString());
        Assert.Contains("needs a \"role\"", errors.GetProperty("messages[1].role")[0].GetString());
        Assert.Contains("is not a message id", errors.GetProperty("messages[2].id")[0].GetString());
        Assert.Contains("1 to 200 characters", errors.GetProperty("messages[2].toolCalls[0].id")[0].GetString());
        Assert.Contains("1 to 200 characters", errors.GetProperty("messages[2].toolCalls[1].name")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/sessions/{SessionId}")).StatusCode);
    }

    [Fact]
    public async Task Bad_requests_get_problems_that_say_what_to_send()
    {
        using var badId = await Client.PutAsJsonAsync("/api/v1/sessions/nope", Session());
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Contains("not a valid session id", await badId.Content.ReadAsStringAsync());

        using var text = await Client.PutAsync($"/api/v1/sessions/{SessionId}", new StringContent("{}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);

        using var malformed = await Client.PutAsync($"/api/v1/sessions/{SessionId}", new StringContent("{\"messages\":[{\"role\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("not a valid session", await malformed.Content.ReadAsStringAsync());

        using var empty = await Client.PostAsJsonAsync($"/api/v1/sessions/{SessionId}/messages", new { messages = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("at least one message", await empty.Content.ReadAsStringAsync());

        var huge = new string('x', 65 << 20);
        using var tooLarge = await Client.PutAsync($"/api/v1/sessions/{SessionId}", new StringContent($"{{\"title\":\"{huge}\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("at most 67,108,864 bytes", await tooLarge.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_large_session_within_the_limit_is_accepted()
    {
        var content = new string('a', 40 << 20); // larger than the server's default request limit
        using var put = await PutAsync(SessionId, new { messages = new[] { new { role = "tool", content } } });
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var session = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{SessionId}");
        Assert.Equal(content.Length, session.GetProperty("messages")[0].GetProperty("content").GetString()!.Length);
    }
}
