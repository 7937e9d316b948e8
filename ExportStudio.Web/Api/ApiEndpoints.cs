using ExportStudio.Web.Api.Exports;
using ExportStudio.Web.Api.Imports;
using ExportStudio.Web.Api.Sessions;

namespace ExportStudio.Web.Api;

internal static class ApiEndpoints
{
    /// <summary>Maps every <c>/api/v1</c> endpoint group and the OpenAPI document.</summary>
    public static IEndpointRouteBuilder MapExportStudioApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/v1")
            .MapExportEndpoints()
            .MapSessionEndpoints()
            .MapImportEndpoints();
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        return endpoints;
    }
}
