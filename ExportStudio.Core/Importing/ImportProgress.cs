namespace ExportStudio.Core.Importing;

public enum ImportStage
{
    /// <summary>Reading and checking the file, writing its sessions as pending.</summary>
    Reading,

    /// <summary>Revealing the sessions written, in one transaction.</summary>
    Applying,
}

/// <summary>Where an import is: bytes of the upload read so far, sessions and messages found.</summary>
public sealed record ImportProgress(ImportStage Stage, long BytesRead, int Sessions, int Messages)
{
    /// <summary>The source the file is read as, once its content has shown it (null before).</summary>
    public string? Source { get; init; }
}
