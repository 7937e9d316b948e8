namespace ExportStudio.Web.Api.Imports;

/// <summary>
/// What an import did, as the API answers it: the source read, sessions imported, updated (a newer version
/// replaced the one held) and skipped (held already, or repeated in the file), their messages, what could not
/// be kept by reason (<c>{"image": 3, "reasoning": 2}</c>), the archive entries read, how the upload was
/// packed, and the sessions replicate mode deleted.
/// </summary>
public sealed record ImportResource(
    string Source, int Imported, int Updated, int Skipped, int Messages,
    IReadOnlyDictionary<string, int> Dropped, IReadOnlyList<string> Entries, string DetectedFormat, int Deleted);
