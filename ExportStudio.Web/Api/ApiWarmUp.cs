using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace ExportStudio.Web.Api;

/// <summary>
/// Builds at start-up what the API's first requests would otherwise build while an export runs beside
/// them on the same two cores: every endpoint (its request delegate) and the JSON contracts of the bodies
/// the endpoints accept and the resources they answer with. Built by reflection on first use, the contracts
/// of the first export request and the job it returns were some 300 methods compiled on the request path.
/// </summary>
internal sealed class ApiWarmUp(IOptions<JsonOptions> json, ILogger<ApiWarmUp> logger)
{
    private ICollection<EndpointDataSource> _sources = [];

    /// <summary>The app's endpoint sources, handed over where they are mapped (the host starts after that).</summary>
    public void Use(ICollection<EndpointDataSource> sources) => _sources = sources;

    /// <summary>Builds the endpoints and the contracts; returns the types whose contracts it built.</summary>
    public IReadOnlyCollection<Type> Run()
    {
        var started = TimeProvider.System.GetTimestamp();
        var endpoints = _sources.SelectMany(source => source.Endpoints).ToList();
        var tried = new HashSet<Type>();
        var prepared = new List<Type>();
        foreach (var endpoint in endpoints)
        {
            // Request bodies are read with the web defaults (JsonBody), answers written with the app's options.
            foreach (var accepts in endpoint.Metadata.GetOrderedMetadata<IAcceptsMetadata>())
            {
                Prepare(accepts.RequestType, JsonSerializerOptions.Web, tried, prepared);
            }
            foreach (var produces in endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>())
            {
                Prepare(produces.Type, json.Value.SerializerOptions, tried, prepared);
            }
        }
        logger.LogInformation("Prepared the API's {Endpoints} endpoints and {Contracts} JSON contracts in {Milliseconds:F0} ms.",
            endpoints.Count, prepared.Count, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        return prepared;
    }

    /// <param name="tried">Types already tried, whether or not they have a contract: a refusal costs an exception.</param>
    private void Prepare(Type? type, JsonSerializerOptions options, HashSet<Type> tried, List<Type> prepared)
    {
        if (type is null || type == typeof(void) || !tried.Add(type))
        {
            return;
        }
        try
        {
            options.GetTypeInfo(type);
            prepared.Add(type);
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // A type no request ever sends as JSON (a file's stream, say): the request that has one decides.
            logger.LogDebug(exception, "No JSON contract prepared for {Type}.", type);
        }
    }
}
