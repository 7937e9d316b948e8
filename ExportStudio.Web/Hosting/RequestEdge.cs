using Microsoft.AspNetCore.HostFiltering;

namespace ExportStudio.Web.Hosting;

/// <summary>
/// What every request meets first, ahead of the framework's middleware and of the app's pipeline: the
/// security headers, and the host-name check that keeps a hostile web page from reaching the app through
/// DNS rebinding (its requests carry the attacker's host name, never one the app is configured for).
/// </summary>
internal static class RequestEdge
{
    private static readonly object HostAllowed = new();

    public static IServiceCollection AddRequestEdge(this IServiceCollection services)
    {
        // The refusal below says which setting to change; the framework's own page would not.
        services.Configure<HostFilteringOptions>(options => options.IncludeFailureMessage = false);
        // The first startup filter is the outermost: ahead of the framework's host filtering and of Program.cs.
        services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, EdgeStartupFilter>());
        return services;
    }

    private sealed class EdgeStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseSecurityHeaders();
            app.UseAllowedHostsOnly();
            next(app);
        };
    }

    /// <summary>
    /// The framework's host filter (the <c>AllowedHosts</c> setting and its matching rules: ports ignored,
    /// <c>*.example.com</c> wildcards, punycode), with its refusals answered by a message that names the setting.
    /// </summary>
    private static void UseAllowedHostsOnly(this IApplicationBuilder app) => app.Use(next =>
    {
        var filter = ActivatorUtilities.CreateInstance<HostFilteringMiddleware>(app.ApplicationServices, (RequestDelegate)(context =>
        {
            context.Items[HostAllowed] = true;
            return next(context);
        }));
        return async context =>
        {
            await filter.Invoke(context);
            if (!context.Items.ContainsKey(HostAllowed) && !context.Response.HasStarted)
            {
                await RefuseAsync(context);
            }
        };
    });

    private static Task RefuseAsync(HttpContext context)
    {
        var name = context.Request.Host.Host;
        var shown = name.Length <= 100 ? name : name[..100] + "…";
        var detail = $"This app answers only to the host names in its AllowedHosts setting, and '{shown}' is not one of them. " +
            $"To open it under this name, add the name to AllowedHosts (for example AllowedHosts=\"localhost;127.0.0.1;[::1];{shown}\").";
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            return Results.Problem(title: "Unknown host name", detail: detail, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Unknown host name. " + detail);
    }
}
