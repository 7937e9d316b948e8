using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ExportStudio.Tests.Support;

public static class BunitExportStudio
{
    /// <summary>
    /// Prepares a bUnit context to render ExportStudio's components over the real Core services of
    /// <paramref name="app"/> (its SQLite database and worker), with MudBlazor's services and popovers.
    /// </summary>
    /// <returns>The popover provider, where drop-downs such as the session picker's list render.</returns>
    public static IRenderedComponent<MudPopoverProvider> UseExportStudio(this BunitContext context, ExportStudioApp app)
    {
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        foreach (var type in new[] { typeof(ExportJobService), typeof(ExportProgressFeed), typeof(SessionCatalog), typeof(ExportEstimator), typeof(ScheduleService) })
        {
            context.Services.AddSingleton(type, app.Services.GetRequiredService(type));
        }
        return context.Render<MudPopoverProvider>();
    }
}
