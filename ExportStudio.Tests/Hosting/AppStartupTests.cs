using System.Diagnostics;
using ExportStudio.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace ExportStudio.Tests.Hosting;

public sealed class AppStartupTests
{
    [Fact]
    public async Task The_app_starts_on_a_temporary_database_and_healthz_reports_healthy()
    {
        await using var app = new ExportStudioApp(demoSessions: 5);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", body.RootElement.GetProperty("checks").GetProperty("exportDirectory").GetProperty("status").GetString());
        Assert.True(File.Exists(app.DatabasePath));
    }

    [Fact]
    public async Task The_warm_up_runs_before_requests_and_leaves_nothing_behind()
    {
        await using var app = new ExportStudioApp(demoSessions: 3, new Dictionary<string, string?> { ["ExportStudio:WarmUp"] = "true" });
        using var client = app.CreateClient();

        var sessions = await client.GetFromJsonAsync<JsonElement>("/api/v1/sessions");
        var jobs = await client.GetFromJsonAsync<JsonElement>("/api/v1/export");

        Assert.Equal(3, sessions.GetProperty("total").GetInt32());
        Assert.Equal(0, jobs.GetProperty("total").GetInt32());
        Assert.Empty(Directory.EnumerateFiles(app.ExportDirectory));
        Assert.DoesNotContain(Directory.EnumerateFiles(app.TempDirectory, "*", SearchOption.AllDirectories), f => f.Contains("warm-up"));
        Assert.DoesNotContain(Directory.EnumerateDirectories(app.TempDirectory, "*", SearchOption.AllDirectories), d => d.Contains("warm-up"));
    }

    [Fact]
    public async Task Healthz_reports_unhealthy_when_the_export_directory_disappears()
    {
        await using var app = new ExportStudioApp();
        using var client = app.CreateClient();
        Directory.Delete(app.ExportDirectory, recursive: true);
        File.WriteAllText(app.ExportDirectory, "a file where the directory was");

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("not writable", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_shell_renders_the_product_name_and_navigation()
    {
        await using var app = new ExportStudioApp();
        using var client = app.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.Contains("ExportStudio", html);
        Assert.Contains("href=\"/history\"", html);
        Assert.Contains(">Export<", html.Replace(" ", ""));
        Assert.Contains(">History<", html.Replace(" ", ""));
        Assert.Contains("theme-toggle", html);
    }

    [Fact]
    public async Task The_remembered_dark_theme_is_rendered_on_first_paint()
    {
        await using var app = new ExportStudioApp();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/history");
        request.Headers.Add("Cookie", "exportstudio-theme=dark");

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("data-theme=\"dark\"", html);
    }

    [Fact]
    public async Task An_unknown_page_renders_the_not_found_page_with_404_and_an_unknown_api_url_a_problem()
    {
        await using var app = new ExportStudioApp();
        using var client = app.CreateClient();

        using var page = await client.GetAsync("/no/such/page");
        using var api = await client.GetAsync("/api/v1/no-such-endpoint");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("There is nothing at this address", html);
        Assert.Contains("href=\"/history\"", html);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Contains("There is no API endpoint at GET /api/v1/no-such-endpoint", await api.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("MaxConcurrentExports", "-1", "ExportStudio:MaxConcurrentExports is -1: it must be at least 1.")]
    [InlineData("RetentionDays", "1000000000", "ExportStudio:RetentionDays is 1000000000: it must be at most 36500 (100 years).")]
    [InlineData("MaxImportBytes", "9223372036854775807", "ExportStudio:MaxImportBytes is 9223372036854775807: it must be at most 1125899906842624 (1 PiB).")]
    [InlineData("MaxExportBytes", "9223372036854775807", "ExportStudio:MaxExportBytes is 9223372036854775807: it must be at most 1125899906842624 (1 PiB).")]
    [InlineData("DemoData:Sessions", "2000000000", "ExportStudio:DemoData:Sessions is 2000000000: it must be at most 1000000 (the seed command fills larger databases).")]
    [InlineData("MaxConcurrentExports", "100000", "ExportStudio:MaxConcurrentExports is 100000: it must be at most 64.")]
    [InlineData("Gzip:Workers", "300", "ExportStudio:Gzip:Workers is 300: it must be at most 256 (0 is one per core).")]
    [InlineData("RetentionDays", "0", "ExportStudio:RetentionDays is 0: it must be at least 1.")]
    [InlineData("MaxExportBytes", "0", "ExportStudio:MaxExportBytes is 0: it must be at least 1.")]
    [InlineData("Zstd:Workers", "-3", "ExportStudio:Zstd:Workers is -3: it must be at least 0.")]
    [InlineData("DemoData:Sessions", "-5", "ExportStudio:DemoData:Sessions is -5: it must be at least 0.")]
    public void A_configuration_that_cannot_work_is_refused_naming_the_setting_and_value(string setting, string value, string expected)
    {
        using var directory = new TempDirectory();
        var options = Bind(directory, new() { [setting] = value });

        var result = new ExportStudioOptionsValidator(new TestHostEnvironment(directory.Path)).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal([expected], result.Failures);
    }

    [Fact]
    public void An_unwritable_export_directory_is_refused_naming_the_setting_and_value()
    {
        using var directory = new TempDirectory();
        var blocker = directory.Combine("blocker");
        File.WriteAllText(blocker, "a file, so nothing can be created beneath it");
        var options = Bind(directory, new() { ["ExportDirectory"] = Path.Combine(blocker, "exports") });

        var result = new ExportStudioOptionsValidator(new TestHostEnvironment(directory.Path)).Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith($"ExportStudio:ExportDirectory is '{Path.Combine(blocker, "exports")}': the directory", failure);
        Assert.Contains("is not writable", failure);
    }

    [Fact]
    public void The_shipped_appsettings_json_is_a_valid_configuration()
    {
        using var directory = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var options = configuration.GetSection(ExportStudioOptions.SectionName).Get<ExportStudioOptions>()!;

        Assert.Equal(200, options.DemoData.Sessions);
        Assert.Equal("data/exportstudio.db", options.DatabasePath);
        Assert.True(new ExportStudioOptionsValidator(new TestHostEnvironment(directory.Path)).Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("ExportStudio__MaxConcurrentExports", "-1", "ExportStudio cannot start: ExportStudio:MaxConcurrentExports is -1: it must be at least 1.")]
    [InlineData("ExportStudio__DatabasePath", "/proc/version/db.sqlite", "ExportStudio cannot start: ExportStudio:DatabasePath is '/proc/version/db.sqlite': the directory '/proc/version' is not writable")]
    [InlineData("ExportStudio__RetentionDays", "abc", "ExportStudio cannot start: ExportStudio:RetentionDays is 'abc': it must be a whole number from 1 to 36500 (100 years).")]
    [InlineData("ExportStudio__RetentionDays", "1000000000", "ExportStudio cannot start: ExportStudio:RetentionDays is 1000000000: it must be at most 36500 (100 years).")]
    [InlineData("ExportStudio__MaxImportBytes", "99999999999999999999", "ExportStudio cannot start: ExportStudio:MaxImportBytes is '99999999999999999999': it must be a whole number from 1 to 1125899906842624 (1 PiB).")]
    [InlineData("ExportStudio__Zstd__Workers", "four", "ExportStudio cannot start: ExportStudio:Zstd:Workers is 'four': it must be a whole number from 0 to 256 (0 is one per core).")]
    public async Task The_real_process_stops_with_one_clear_message_on_bad_configuration(string variable, string value, string expected)
    {
        using var directory = new TempDirectory();
        var webDll = Path.Combine(AppContext.BaseDirectory, "ExportStudio.Web.dll");
        var start = new ProcessStartInfo("dotnet", [webDll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = directory.Path,
            Environment =
            {
                ["ExportStudio__DatabasePath"] = directory.Combine("db.sqlite"),
                ["ExportStudio__ExportDirectory"] = directory.Combine("exports"),
                ["ExportStudio__DemoData__Sessions"] = "0",
            },
        };
        start.Environment[variable] = value;

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        var message = await stderr;
        Assert.StartsWith(expected, message);
        Assert.DoesNotContain("   at ", message + await stdout);
        Assert.Single(message.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static ExportStudioOptions Bind(TempDirectory directory, Dictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DatabasePath"] = directory.Combine("db.sqlite"),
            ["ExportDirectory"] = directory.Combine("exports"),
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build().Get<ExportStudioOptions>()!;
    }

    private sealed class TestHostEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "ExportStudio.Web";
        public string ContentRootPath { get; set; } = contentRoot;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
