using System.Net.Http.Json;

namespace ExportStudio.Tests.Reliability;

/// <summary>The real process as deployed: its start-up warm-ups run before it answers, and leave nothing behind.</summary>
public sealed class WarmUpProcessTests
{
    [Fact]
    public async Task A_process_starting_with_its_warm_ups_runs_them_all_before_answering_and_leaves_its_data_and_scratch_space_as_they_were()
    {
        using var state = new TempDirectory();
        var (database, exports, temp) = (state.Combine("exportstudio.db"), state.Combine("exports"), state.Combine("tmp"));
        await using var app = await AppProcess.StartAsync(database, exports, new Dictionary<string, string> { ["ExportStudio__WarmUp"] = "true" }, demoSessions: 3);
        using var client = app.CreateClient();

        var sessions = await client.GetFromJsonAsync<JsonElement>("/api/v1/sessions");
        var jobs = await client.GetFromJsonAsync<JsonElement>("/api/v1/export");

        // Each warm-up logs its end (a failed one logs a warning instead), all before /healthz answered.
        Assert.Contains("Warmed up the export path", app.Output);
        Assert.Contains("Warmed up the import path", app.Output);
        Assert.Contains("The background compiler", app.Output);
        Assert.DoesNotContain("Warming up the", app.Output);
        Assert.Equal(3, sessions.GetProperty("total").GetInt32());
        Assert.Equal(0, jobs.GetProperty("total").GetInt32());
        Assert.Empty(Directory.EnumerateFiles(exports));
        Assert.DoesNotContain(Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories), f => Path.GetFileName(f) != ".lock");
    }
}
