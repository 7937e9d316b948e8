using Microsoft.Extensions.Configuration.Json;

namespace ExportStudio.Web.Hosting;

internal static class ExportStudioConfiguration
{
    /// <summary>
    /// Reads the repository-root appsettings.json (linked into the build output) in the place the default
    /// appsettings.json would have: environment variables and the command line still override it.
    /// </summary>
    public static WebApplicationBuilder AddRootAppSettings(this WebApplicationBuilder builder)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var sources = builder.Configuration.Sources;
        var index = sources.Select((source, i) => (source, i))
            .Where(x => x.source is JsonConfigurationSource { Path: "appsettings.json" })
            .Select(x => x.i)
            .DefaultIfEmpty(0)
            .First();
        sources.Insert(index, new JsonConfigurationSource
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
            Path = Path.GetFileName(path),
            Optional = false,
            ReloadOnChange = false,
        });
        return builder;
    }
}
