namespace ExportStudio.Core.Exports;

/// <summary>An export stopped for a reason a person can act on; the message is shown as the job's error.</summary>
public sealed class ExportFailedException(string message, Exception? inner = null) : Exception(message, inner);
