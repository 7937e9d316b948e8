namespace ExportStudio.Web.Api.Shared;

/// <summary>Times as the API takes them: ISO 8601; one without an offset is taken as UTC, never as the server's zone.</summary>
internal static class WireTimes
{
    public static DateTime? AsUtc(DateTime? value) => value?.Kind switch
    {
        null => null,
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value.Value, DateTimeKind.Utc),
        _ => value.Value.ToUniversalTime(),
    };
}
