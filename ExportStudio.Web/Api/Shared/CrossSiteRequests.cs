namespace ExportStudio.Web.Api.Shared;

/// <summary>
/// Refuses API requests that would change something when a browser says another site sent them. A page on
/// another site can make the visitor's browser send a form or a "simple" fetch to the app without asking
/// (no CORS preflight); the browser then names the page's origin in <c>Origin</c> and, in current browsers,
/// tells <c>Sec-Fetch-Site</c>. Scripts (curl, HttpClient) send neither and are not affected.
/// </summary>
internal static class CrossSiteRequests
{
    public static IApplicationBuilder UseCrossSiteRequestRefusal(this IApplicationBuilder app) => app.Use((context, next) =>
        RefusalReason(context.Request) is { } reason
            ? ApiProblems.Forbidden("Cross-site request refused", reason).ExecuteAsync(context)
            : next(context));

    /// <summary>Why the request must not be served, or null.</summary>
    private static string? RefusalReason(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments("/api") || IsSafe(request.Method))
        {
            return null;
        }
        var own = $"{request.Scheme}://{request.Host}";
        var origin = request.Headers.Origin.ToString();
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        var sameOrigin = IsSameOrigin(origin, own);
        if (origin.Length > 0 && !sameOrigin)
        {
            return $"The request comes from {ApiProblems.Shown(origin)}, not from this app ({own}), and a page on another site may not change anything here. " +
                "Scripts that call the API send no Origin header.";
        }
        if (site.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || (site.Equals("same-site", StringComparison.OrdinalIgnoreCase) && !sameOrigin))
        {
            return $"The browser says another site sent this request (Sec-Fetch-Site: {ApiProblems.Shown(site)}), and a page on another site may not change anything here.";
        }
        return null;
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    /// <summary>Scheme, host and port alike (a default port written or not); "null", an opaque origin, is never this app.</summary>
    private static bool IsSameOrigin(string origin, string own) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var theirs) && Uri.TryCreate(own, UriKind.Absolute, out var ours) &&
        Uri.Compare(theirs, ours, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
