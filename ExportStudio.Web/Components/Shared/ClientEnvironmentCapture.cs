
namespace ExportStudio.Web.Components.Shared;

/// <summary>
/// Reads the person's environment from the first (prerendering) request, the only one with HTTP headers:
/// the circuit that follows has none.
/// </summary>
public static class ClientEnvironmentCapture
{
    public static string Describe(HttpContext? context)
    {
        if (context is null)
        {
            return "";
        }
        var client = ClientEnvironment.From(context.Request.Headers.UserAgent, context.Request.Headers.AcceptEncoding);
        return $"{(client.IsWindows ? "windows" : "other")};{(client.AcceptsZstd ? "zstd" : "")}";
    }

    public static ClientEnvironment Parse(string? described) => string.IsNullOrEmpty(described)
        ? ClientEnvironment.Unknown
        : new ClientEnvironment(described.StartsWith("windows", StringComparison.Ordinal), described.EndsWith(";zstd", StringComparison.Ordinal));
}
