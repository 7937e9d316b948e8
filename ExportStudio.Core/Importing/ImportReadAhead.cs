namespace ExportStudio.Core.Importing;

/// <summary>
/// How much the reading thread may have read ahead of the writing one, by weight: sessions of other
/// products can be megabytes each, and the channel bounds only their number.
/// </summary>
internal sealed class ImportReadAhead
{
    private const long Unit = 64 << 10;
    private const int Units = 128; // 8 MB of text
    private readonly SemaphoreSlim _room = new(Units, Units);

    /// <summary>Waits for room for a session of <paramref name="weight"/> (one larger than all the room takes all of it).</summary>
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
