namespace ExportStudio.Core.Importing;

/// <summary>
/// How much the reading thread may have read ahead of the writing one, by weight: sessions of other
/// products can be megabytes each, and the channel bounds only their number. The room is a little more
/// than the writing side's chunk, so that parsing goes on while a chunk is written instead of taking
/// turns with it (which kept each of the two cores half idle).
/// </summary>
internal sealed class ImportReadAhead
{
    private const long Unit = 16 << 10;
    private const int Units = 384; // 6 MB of text
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
