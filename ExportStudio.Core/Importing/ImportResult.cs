namespace ExportStudio.Core.Importing;

/// <summary>
/// What an import did: the source it read (<c>chatgpt</c>, <c>claude</c>, …; several joined by "+" when an
/// archive mixed them), sessions added, sessions replaced by a newer version, sessions skipped (the database
/// had them at the same or a newer version, or the file repeated them), the messages of the sessions
/// written, what could not be kept (by reason), the archive entries read, how the upload was packed, and in
/// replicate mode the sessions deleted because an incremental export listed them.
/// </summary>
public sealed record ImportResult(
    string Source, int Imported, int Updated, int Skipped, int Messages,
    IReadOnlyDictionary<string, int> Dropped, IReadOnlyList<string> Entries, string DetectedFormat, int Deleted = 0);
