using ExportStudio.Core.Compression;
using ExportStudio.Web.Api;
using ExportStudio.Web.Api.Shared;
using ExportStudio.Web.Components;
using ExportStudio.Web.Hosting;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

if (args is [SeedCommand.Name, ..])
{
    return await SeedCommand.RunAsync(args[1..]);
}

NativeHeap.MapLargeBlocks();
// The configuration is read once (appsettings.json is not reloaded): without this the host watches its
// content root, where the database and the exports live under `dotnet run`, and wakes on every write.
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
// Serve the framework's and MudBlazor's assets from the build output in every environment, not only in
// Development (a published app has no such manifest, and this does nothing there).
builder.WebHost.UseStaticWebAssets();
builder.AddExportStudio();
builder.Services.AddMudServices();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
// Security headers and the AllowedHosts check come before all of this (RequestEdge, a startup filter).
app.UseNotFoundPage("/not-found");
app.UseApiErrorProblems();
app.UseCrossSiteRequestRefusal();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapExportStudioHealthChecks();
app.MapExportStudioApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

try
{
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException exception)
{
    // A configuration that cannot work stops the app with the setting and value named, not a stack trace.
    Console.Error.WriteLine("ExportStudio cannot start: " + string.Join(" ", exception.Failures));
    return 1;
}

public partial class Program;
