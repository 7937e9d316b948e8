namespace ExportStudio.Web.Api.Imports;

/// <summary>What an import did, as the API answers it; <c>deleted</c> counts what replicate mode deleted.</summary>
public sealed record ImportResource(int Imported, int Updated, int Skipped, int Messages, IReadOnlyList<string> Entries, string DetectedFormat, int Deleted);
