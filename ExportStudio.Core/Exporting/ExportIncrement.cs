namespace ExportStudio.Core.Exporting;

/// <summary>
/// What an incremental export holds: the sessions whose change sequence passed <see cref="FromSequence"/>
/// (null: every session, the first run of a chain) up to <see cref="ToSequence"/>, where its snapshot stood,
/// and the sessions deleted in that range. Runs of a chain join end to start, so replaying them in order
/// gives back the source's sessions.
/// </summary>
public sealed record ExportIncrement(long? FromSequence, long ToSequence, IReadOnlyList<Guid> DeletedSessionIds);
