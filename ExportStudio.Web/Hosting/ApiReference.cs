using ExportStudio.Web.Components.Layout;
using Scalar.AspNetCore;

namespace ExportStudio.Web.Hosting;

/// <summary>
/// <c>/api-reference/</c>: the OpenAPI document rendered by Scalar, from the script bundled in its package
/// (no CDN: it works offline), in the theme the visitor chose for the app. Its page starts with an inline
/// module script; rather than allow inline script, each response of the page carries a fresh nonce and
/// only that response's policy names it, so every other page keeps the app's strict policy.
/// </summary>
internal static class ApiReference
{
    public const string Path = "/api-reference";

    public static IEndpointRouteBuilder MapExportStudioApiReference(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapScalarApiReference(Path, (options, context) =>
            {
                var dark = ThemePreference.IsDark(context);
                options.WithTitle("API reference · ExportStudio")
                    .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                    .WithFavicon("/favicon.svg")
                    .WithJavaScriptConfiguration("/js/api-reference.js")
                    .WithCustomCss(AccessibleColors)
                    .HideDarkModeToggle() // the app's own toggle decides, as on every other page
                    .HideDeveloperTools()
                    .DisableAgent() // a hosted AI chat: off for a private, offline app
                    .DisableDefaultFonts() // they come from a CDN
                    .DisableTelemetry()
                    .WithNonce();
                _ = dark ? options.ForceDarkMode() : options.ForceLightMode();
            })
            .AddEndpointFilter(async (context, next) =>
            {
                var result = await next(context);
                if (context.HttpContext.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce)
                {
                    context.HttpContext.Items[SecurityHeaders.PolicyItem] = PolicyWithNonce(nonce);
                }
                return result;
            });
        return endpoints;
    }

    /// <summary>The app's own policy with this one response's nonce added to script-src: no 'unsafe-inline', no 'unsafe-eval'.</summary>
    public static string PolicyWithNonce(string nonce) =>
        SecurityHeaders.ContentSecurityPolicy.Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal);

    /// <summary>Scalar's greys and method colours are below WCAG AA on its own backgrounds; these pass in both themes.</summary>
    private const string AccessibleColors = """
        .light-mode {
          --scalar-color-2: #4a4a4a;
          --scalar-color-3: #5c5c5c;
          --scalar-color-green: #1b6e35;
          --scalar-color-blue: #0b5cad;
          --scalar-color-red: #b3261e;
          --scalar-color-orange: #8a4b00;
          --scalar-color-yellow: #6e5a00;
          --scalar-color-purple: #6a1b9a;
          --scalar-color-accent: #3f51b5;
          --scalar-sidebar-color-2: #4a4a4a;
        }
        .dark-mode {
          --scalar-color-2: #d0d0d0;
          --scalar-color-3: #b8b8b8;
          --scalar-color-green: #81c784;
          --scalar-color-blue: #90caf9;
          --scalar-color-red: #ef9a9a;
          --scalar-color-orange: #ffcc80;
          --scalar-color-yellow: #fff59d;
          --scalar-color-purple: #ce93d8;
          --scalar-color-accent: #a5b4fc;
          --scalar-sidebar-color-2: #d0d0d0;
        }
        """;
}
