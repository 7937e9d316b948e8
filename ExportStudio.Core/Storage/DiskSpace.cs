namespace ExportStudio.Core.Storage;

/// <summary>Recognises a full disk, whichever file it was writing.</summary>
public static class DiskSpace
{
    /// <summary>errno ENOSPC, which .NET reports as the IOException's HResult on Unix.</summary>
    private const int NoSpaceLeft = 28;

    public static bool IsFull(IOException exception) =>
        exception.HResult == NoSpaceLeft || exception.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);
}
