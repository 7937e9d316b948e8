using Microsoft.Extensions.Options;

namespace ExportStudio.Web.Hosting;

internal static class ExportStudioServiceCollectionExtensions
{
    public static WebApplicationBuilder AddExportStudio(this WebApplicationBuilder builder)
    {
        builder.AddRootAppSettings();

        var section = builder.Configuration.GetSection(ExportStudioOptions.SectionName);
        builder.Services.AddOptions<ExportStudioOptions>()
            .Configure(options => ExportStudioOptionsValidator.Bind(section, options))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ExportStudioOptions>, ExportStudioOptionsValidator>();
        builder.Services.AddSingleton<ExportStudioPaths>();

        // The host logs a failed start with a stack trace; Program prints the one message a person needs
        // for a bad setting, and any other start-up failure still surfaces as an unhandled exception.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        builder.Services.AddRequestEdge();
        builder.Services.AddExportStudioDatabase();
        builder.Services.AddExportStudioExports();
        builder.Services.AddExportStudioHealthChecks();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        return builder;
    }
}
