using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ExportStudio.Core.Exporting.Reading;

/// <summary>Column values of a SQLite row read straight from the UTF-8 the database holds, without strings in between.</summary>
internal static class SqliteColumns
{
    public static string StringColumn(SqliteRow row, int column) => Encoding.UTF8.GetString(row.Blob(column));

    /// <summary>EF Core's SQLite text form (<c>yyyy-MM-dd HH:mm:ss</c>, then up to seven fraction digits), read as UTC.</summary>
    public static DateTime TimeColumn(SqliteRow row, int column)
    {
        var value = row.Blob(column);
        if (value.Length >= 19 && value[4] == '-' && value[7] == '-' && value[10] == ' ' && value[13] == ':' && value[16] == ':'
            && Digits(value[..4], out var year) && Digits(value.Slice(5, 2), out var month) && Digits(value.Slice(8, 2), out var day)
            && Digits(value.Slice(11, 2), out var hour) && Digits(value.Slice(14, 2), out var minute) && Digits(value.Slice(17, 2), out var second))
        {
            var ticks = 0;
            var fraction = value[19..];
            if (fraction.Length is >= 2 and <= 8 && fraction[0] == '.' && Digits(fraction[1..], out ticks))
            {
                for (var i = fraction.Length - 1; i < 7; i++)
                {
                    ticks *= 10;
                }
            }
            else if (!fraction.IsEmpty)
            {
                return ParsedTime(value);
            }
            return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks);
        }
        return ParsedTime(value);
    }

    /// <summary>Any other form a value may have been stored in, read as Microsoft.Data.Sqlite would.</summary>
    private static DateTime ParsedTime(ReadOnlySpan<byte> value) =>
        DateTime.SpecifyKind(DateTime.Parse(Encoding.UTF8.GetString(value), CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static bool Digits(ReadOnlySpan<byte> value, out int number) =>
        Utf8Parser.TryParse(value, out number, out var consumed) && consumed == value.Length && value[0] is >= (byte)'0' and <= (byte)'9';

    public static Guid GuidColumn(SqliteRow row, int column)
    {
        var value = row.Blob(column);
        return Guid.TryParse(value, out var id) ? id : throw new InvalidDataException($"'{Encoding.UTF8.GetString(value)}' in the database is not a GUID.");
    }
}
