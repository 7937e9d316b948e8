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

        // The host logs a failed start with a stack trace; Program prints the one message a person needs
        // for a bad setting, and any other start-up failure still surfaces as an unhandled exception.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        builder.Services.AddExportStudioDatabase();
        builder.Services.AddExportStudioExports();
        builder.Services.AddExportStudioHealthChecks();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        return builder;
    }
}
