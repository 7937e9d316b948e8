namespace ExportStudio.Core.Compression;

/// <summary>
/// One file of an export: its name (inside a tar, or the original name of a .zst) and the code that writes
/// its content into the stream it is given, without disposing it.
/// </summary>
public sealed record ExportEntry(string Name, Func<Stream, CancellationToken, Task> WriteContentAsync);
