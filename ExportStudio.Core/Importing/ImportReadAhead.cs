namespace ExportStudio.Core.Importing;

/// <summary>
/// How much the reading thread may have read ahead of the writing one, by weight: sessions of other
/// products can be megabytes each, and the channel bounds only their number. The room is the writing
/// side's chunk, so that parsing can go on while a chunk is written.
/// </summary>
internal sealed class ImportReadAhead
{
    private const long Unit = 16 << 10;
    private const int Units = 256; // 4 MB of text
    private readonly SemaphoreSlim _room = new(Units, Units);

    /// <summary>Waits for room for sessions of <paramref name="weight"/> (more than all the room takes all of it).</summary>
    public async Task<int> TakeAsync(long weight, CancellationToken cancellationToken)
    {
        var units = (int)Math.Clamp(weight / Unit + 1, 1, Units);
        for (var taken = 0; taken < units; taken++)
        {
            await _room.WaitAsync(cancellationToken);
        }
        return units;
    }

    public void Release(int units)
    {
        if (units > 0)
        {
            _room.Release(units);
        }
    }
}
