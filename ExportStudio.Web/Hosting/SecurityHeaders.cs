namespace ExportStudio.Web.Hosting;

/// <summary>Headers every response carries: no MIME sniffing, no framing, and a Content-Security-Policy the app works under.</summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Scripts only from the app itself (no inline script, so the import map is not rendered), and the
    /// WebAssembly they compile ('wasm-unsafe-eval' allows compiling WebAssembly, never eval of script): the
    /// viewer and the Original button decompress zstd in the browser. Styles allow inline because MudBlazor
    /// positions popovers and sliders with style attributes; the circuit's WebSocket is same-origin ('self').
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Set as the response starts, not as the request arrives: an exception handler clears the headers of the
    /// response it replaces, and a 500 must carry them as much as a page does. Added first, the callback runs
    /// last, so these values win over any an endpoint set.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = http.Items[PolicyItem] as string ?? ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        }, context);
        return next(context);
    });

    /// <summary>
    /// Where an endpoint puts a policy of its own for its response (the API reference's, with a nonce): a
    /// header the endpoint set itself would be overwritten by the callback above, which runs last.
    /// </summary>
    public static readonly object PolicyItem = new();
}
