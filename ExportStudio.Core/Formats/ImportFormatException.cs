namespace ExportStudio.Core.Formats;

/// <summary>An import document that cannot be read as an ExportStudio export; the message says where and why.</summary>
public sealed class ImportFormatException(string message, Exception? inner = null) : Exception(message, inner);
