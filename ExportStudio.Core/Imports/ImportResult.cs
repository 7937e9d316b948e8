namespace ExportStudio.Core.Imports;

/// <summary>What an import did: sessions added, sessions skipped because their id already existed, and what was read.</summary>
public sealed record ImportResult(int Imported, int Skipped, int Messages, IReadOnlyList<string> Entries, string DetectedFormat);

/// <summary>The file cannot be imported as it is; the message says why and what is accepted. Nothing was written.</summary>
public sealed class ImportRejectedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The import is larger than <c>MaxImportBytes</c>, as uploaded or once decompressed. Nothing was written.</summary>
public sealed class ImportTooLargeException(string message) : Exception(message);
