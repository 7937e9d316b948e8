namespace ExportStudio.Core.Data;

/// <summary>A session that was deleted, remembered so an incremental export can list it for the copies downstream.</summary>
public sealed class SessionDeletion
{
    public Guid SessionId { get; set; }

    /// <summary>The change sequence the deletion took.</summary>
    public long ChangeSequence { get; set; }

    public DateTime DeletedAt { get; set; }
}
