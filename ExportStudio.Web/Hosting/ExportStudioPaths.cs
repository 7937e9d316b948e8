using Microsoft.Extensions.Options;

namespace ExportStudio.Web.Hosting;

/// <summary>The configured database and export locations, resolved once against the content root.</summary>
public sealed class ExportStudioPaths(IOptions<ExportStudioOptions> options, IHostEnvironment environment)
{
    public string DatabasePath { get; } = Path.GetFullPath(options.Value.DatabasePath, environment.ContentRootPath);
    public string ExportDirectory { get; } = Path.GetFullPath(options.Value.ExportDirectory, environment.ContentRootPath);
    public string TempDirectory { get; } = Path.GetFullPath(options.Value.TempDirectory, environment.ContentRootPath);
}
