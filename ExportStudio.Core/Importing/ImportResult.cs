namespace ExportStudio.Core.Importing;

/// <summary>What an import did: sessions added, sessions skipped because their id already existed, and what was read.</summary>
public sealed record ImportResult(int Imported, int Skipped, int Messages, IReadOnlyList<string> Entries, string DetectedFormat);
