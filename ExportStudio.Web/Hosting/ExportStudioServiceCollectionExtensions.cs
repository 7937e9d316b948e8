using ExportStudio.Core.Configuration;
using Microsoft.Extensions.Options;

namespace ExportStudio.Web.Hosting;

internal static class ExportStudioServiceCollectionExtensions
{
    public static WebApplicationBuilder AddExportStudio(this WebApplicationBuilder builder)
    {
        builder.AddRootAppSettings();

        builder.Services.AddOptions<ExportStudioOptions>()
            .Bind(builder.Configuration.GetSection(ExportStudioOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ExportStudioOptions>, ExportStudioOptionsValidator>();
        builder.Services.AddSingleton<ExportStudioPaths>();

        builder.Services.AddExportStudioDatabase();
        builder.Services.AddExportStudioHealthChecks();
        return builder;
    }
}
