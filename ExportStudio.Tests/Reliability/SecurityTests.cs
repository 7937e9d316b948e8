using Bunit;
using ExportStudio.Web.Components.Export;
using ExportStudio.Web.Components.Pages;

namespace ExportStudio.Tests.Reliability;

/// <summary>Security basics: headers, antiforgery, names and paths never taken from a request, hostile text in the UI.</summary>
public sealed class SecurityTests : BunitContext, IAsyncLifetime
{
    private readonly ExportStudioApp _app = new(demoSessions: 5);
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _app.CreateClient();
        this.UseExportStudio(_app);
        await using var db = _app.CreateDbContext();
        db.Sessions.Add(new ChatSession
        {
            Id = Guid.NewGuid(), Title = "<script>alert('x')</script><img src=x onerror=alert(1)>", Model = "\"><svg onload=alert(2)>",
            CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, Tags = ["<b>bold</b>"],
        });
        await db.SaveChangesAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        _client.Dispose();
        await base.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Pages_and_files_carry_nosniff_no_framing_and_a_content_security_policy()
    {
        using var page = await _client.GetAsync("/");
        var job = await _client.WaitForExportAsync(await _client.CreateExportAsync(new { format = "csv" }));
        using var file = await _client.GetAsync($"/api/v1/export/{job.GetProperty("jobId").GetGuid()}/download");

        foreach (var response in new[] { page, file })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
            // Compiling WebAssembly is allowed (the viewer's zstd decoder); evaluating script never is.
            Assert.Contains("script-src 'self' 'wasm-unsafe-eval';", csp);
            Assert.DoesNotContain("'unsafe-eval'", csp);
            Assert.DoesNotContain("'unsafe-inline'", csp.Split("style-src")[0]);
            Assert.Contains("frame-ancestors 'none'", csp);
        }
        // No inline script the policy would block: the page works under it (the browser test checks the console too).
        Assert.DoesNotContain("<script>", (await page.Content.ReadAsStringAsync()).Replace("<script src=", ""));
    }

    [Fact]
    public async Task A_form_post_to_a_page_without_an_antiforgery_token_is_refused()
    {
        using var response = await _client.PostAsync("/", new FormUrlEncodedContent([new("_handler", "x")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task File_names_come_from_the_job_never_from_the_request()
    {
        using var response = await _client.PostAsync("/api/v1/export",
            JsonContent.Create(new { format = "json", fileName = "../../etc/passwd", options = new { compressionFormat = "zstd", fileName = "evil\r\nX-Injected: 1" } }));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        var job = await _client.WaitForExportAsync(id);

        var name = job.GetProperty("fileInfo").GetProperty("fileName").GetString();
        Assert.Equal($"export_{id}.json.zst", name);
        Assert.Single(Directory.GetFiles(_app.ExportDirectory, "*", SearchOption.AllDirectories), f => Path.GetFileName(f) == name);
        using var download = await _client.GetAsync($"/api/v1/export/{id}/download");
        Assert.Equal($"export_{id}.json.zst", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.False(download.Headers.Contains("X-Injected"));
    }

    [Fact]
    public void Hostile_session_text_is_shown_as_text_in_the_pages()
    {
        var picker = Render<SessionPicker>(p => p.Add(c => c.Form, new ExportForm()));
        var form = new ExportForm();
        form.Sessions.Add(new SessionSummary(Guid.NewGuid(), "<script>alert('x')</script>", "m", [], DateTime.UtcNow, DateTime.UtcNow, 0));

        var withChip = Render<SessionPicker>(p => p.Add(c => c.Form, form));

        Assert.DoesNotContain("<script>alert", withChip.Markup);
        Assert.Contains("&lt;script&gt;alert", withChip.Markup);
        Assert.NotNull(picker);
    }

    [Fact]
    public async Task An_over_long_search_typed_in_the_page_is_a_message_not_an_error_bar()
    {
        var page = Render<ExportPage>();
        var search = page.Find("input[data-testid=search], [data-testid=search] input");

        search.Input(new string('a', 600));
        search.Blur();
        // Found and clicked in one go: the estimate that arrives meanwhile re-renders the button. On a loaded
        // machine a click can still land on a button that render replaced, so it is given again (a second
        // click on a refused request only refuses it again).
        for (var attempt = 1; ; attempt++)
        {
            await page.InvokeAsync(() => page.Find("[data-testid=start-export]").ClickAsync(new()));
            try
            {
                page.WaitForAssertion(() => Assert.Contains("at most 500 are allowed", page.Find("[data-testid=validation-errors]").TextContent), TimeSpan.FromSeconds(3));
                break;
            }
            catch (Bunit.Extensions.WaitForHelpers.WaitForFailedException) when (attempt < 4)
            {
            }
        }
        Assert.Empty(page.FindAll(".blazor-error-boundary"));
    }
}
