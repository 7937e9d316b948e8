namespace ExportStudio.Core.Data;

/// <summary>A conversation with a model: the unit people select, export and import.</summary>
public sealed class ChatSession
{
    public Guid Id { get; set; }
    public required string Title { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string Model { get; set; }
    public List<string> Tags { get; set; } = [];

    /// <summary>Free-form metadata as a JSON object, stored and exported verbatim.</summary>
    public string MetadataJson { get; set; } = "{}";

    public List<ChatMessage> Messages { get; set; } = [];

    /// <summary>
    /// The value of the database's change sequence when this session last changed (created, replaced,
    /// appended to, imported): incremental exports take the sessions whose sequence passed their watermark.
    /// </summary>
    public long ChangeSequence { get; set; }

    /// <summary>
    /// The import still writing this session, or null once it is part of the database. Every query leaves
    /// pending sessions out, so an import is seen all at once when it finishes, or not at all.
    /// </summary>
    public string? PendingImport { get; set; }
}
