namespace ExportStudio.Core.Data;

/// <summary>
/// A time as EF Core's SQLite provider stores it: <c>yyyy-MM-dd HH:mm:ss</c> and up to seven fraction digits,
/// trailing zeros left out (the format <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>). Written digit by digit: the
/// custom format took a twentieth of an import's writing thread.
/// </summary>
public static class StoredTime
{
    public const int MaxLength = 27;

    /// <summary>Writes the time's stored text at the start of <paramref name="destination"/> (<see cref="MaxLength"/> bytes at least); returns its length.</summary>
    public static int Write(DateTime time, Span<byte> destination)
    {
        destination = destination[..MaxLength];
        Digits(destination[..4], time.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), time.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), time.Day);
        destination[10] = (byte)' ';
        Digits(destination.Slice(11, 2), time.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), time.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), time.Second);
        var fraction = (int)(time.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0)
        {
            return 19;
        }
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 7), fraction);
        var length = MaxLength;
        while (destination[length - 1] == '0')
        {
            length--;
        }
        return length;
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
