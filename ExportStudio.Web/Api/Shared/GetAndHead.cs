namespace ExportStudio.Web.Api.Shared;

internal static class GetAndHead
{
    /// <summary>
    /// Maps <paramref name="handler"/> for GET and for HEAD, which must answer what GET would, headers only
    /// (Kestrel sends no body for HEAD; file results skip reading the file). HEAD is a twin endpoint left out
    /// of the OpenAPI document, where it would repeat every GET under the same operation id.
    /// </summary>
    public static RouteHandlerBuilder MapGetAndHead(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler)
    {
        endpoints.MapMethods(pattern, [HttpMethods.Head], handler).ExcludeFromDescription();
        return endpoints.MapGet(pattern, handler);
    }
}
