namespace ExportStudio.Core.Importing;

/// <summary>The file cannot be imported as it is; the message says why and what is accepted. Nothing was written.</summary>
public sealed class ImportRejectedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The import is larger than <c>MaxImportBytes</c>, as uploaded or once decompressed. Nothing was written.</summary>
public sealed class ImportTooLargeException(string message) : Exception(message);

/// <summary>An import document that cannot be read as an ExportStudio export; the message says where and why.</summary>
public sealed class ImportFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The import could not finish for a reason on the server's side (a full disk); nothing was written.</summary>
public sealed class ImportFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The file's structure is none of the sources ExportStudio reads; the message lists them. Nothing was written.</summary>
public sealed class ImportSourceUnknownException(string message, IReadOnlyList<string> sources) : Exception(message)
{
    /// <summary>The names of the sources ExportStudio reads, as <c>?source=</c> takes them.</summary>
    public IReadOnlyList<string> Sources { get; } = sources;
}
