namespace ExportStudio.Core.Importing;

/// <summary>
/// In replicate mode, the sessions the file's increments list as deleted, less those the file itself
/// brings (a listed id brought back later in the same file stays).
/// </summary>
internal sealed class ImportDeletions(ImportMode mode)
{
    private readonly HashSet<Guid> _brought = [];

    public void Brought(Guid sessionId)
    {
        if (mode == ImportMode.Replicate)
        {
            _brought.Add(sessionId);
        }
    }

    public IReadOnlyCollection<Guid> ToApply(IReadOnlyCollection<Guid> listed) =>
        mode == ImportMode.Replicate ? listed.Except(_brought).ToList() : [];
}
