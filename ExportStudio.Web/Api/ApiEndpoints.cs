using ExportStudio.Web.Api.Dictionaries;
using ExportStudio.Web.Api.Exports;
using ExportStudio.Web.Api.Imports;
using ExportStudio.Web.Api.Schedules;
using ExportStudio.Web.Api.Sessions;
using ExportStudio.Web.Hosting;

namespace ExportStudio.Web.Api;

internal static class ApiEndpoints
{
    /// <summary>Maps every <c>/api/v1</c> endpoint group, the OpenAPI document and its reference page.</summary>
    public static IEndpointRouteBuilder MapExportStudioApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/v1")
            .MapExportEndpoints()
            .MapSessionEndpoints()
            .MapImportEndpoints()
            .MapScheduleEndpoints()
            .MapDictionaryEndpoints();
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        endpoints.MapExportStudioApiReference();
        // The live list: the pages' endpoints, mapped after these, are built at start-up too.
        endpoints.ServiceProvider.GetRequiredService<ApiWarmUp>().Use(endpoints.DataSources);
        return endpoints;
    }
}
