using ExportStudio.Web.Api.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ExportStudio.Web.Api.Dictionaries;

/// <summary>
/// <c>/api/v1/dictionaries/{id}</c>: a zstd dictionary a schedule keeps, as bytes, so a run's file (whose
/// frames name the dictionary's zstd id) opens anywhere with <c>zstd -D dictionary-{zstdId}.zdict -d</c>.
/// </summary>
internal static class DictionaryEndpoints
{
    public static string Link(Guid id) => $"/api/v1/dictionaries/{id}";

    public static RouteGroupBuilder MapDictionaryEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/dictionaries").WithTags("Dictionaries");
        group.MapGetAndHead("/{dictionaryId}", DownloadAsync).WithName("DownloadDictionary")
            .WithSummary("A schedule's kept zstd dictionary, as the bytes zstd -D reads (the id is the one a job's dictionary.href names)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        return api;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult, ValidationProblem>> DownloadAsync(
        string dictionaryId, ScheduleDictionaryStore dictionaries, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(dictionaryId, "dictionaryId", "dictionary", out var id, out var invalid))
        {
            return invalid!;
        }
        var dictionary = await dictionaries.FindAsync(id, cancellationToken);
        if (dictionary is null)
        {
            return ApiProblems.NotFound($"There is no dictionary with id {id}. A job's dictionary.href names the dictionaries this app keeps; one no run names any more is deleted.");
        }
        // Its bytes never change: the id names one dictionary for good.
        return TypedResults.File(dictionary.Content, "application/octet-stream", $"dictionary-{dictionary.DictionaryId}.zdict",
            lastModified: dictionary.CreatedAt, entityTag: new EntityTagHeaderValue($"\"{dictionary.Id:N}\""));
    }
}
