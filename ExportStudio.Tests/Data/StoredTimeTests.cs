using System.Globalization;
using System.Text;

namespace ExportStudio.Tests.Data;

/// <summary>Times written for SQLite digit by digit: the same text EF Core's provider writes, for every kind of fraction.</summary>
public sealed class StoredTimeTests
{
    public static TheoryData<long> Edges() =>
    [
        DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks, new DateTime(2026, 12, 3, 12, 0, 0).Ticks, new DateTime(2026, 12, 3, 12, 0, 0).Ticks + 1,
        new DateTime(999, 1, 2, 3, 4, 5).Ticks + 1_000_000, new DateTime(2026, 2, 28, 23, 59, 59).Ticks + 9_999_999, new DateTime(2026, 7, 1).Ticks + 1_200_000,
    ];

    [Theory]
    [MemberData(nameof(Edges))]
    public void An_edge_time_is_written_as_the_provider_writes_it(long ticks) => AssertSame(new DateTime(ticks, DateTimeKind.Utc));

    [Fact]
    public void Random_times_are_written_as_the_provider_writes_them()
    {
        var random = new Random(20261203);
        for (var i = 0; i < 100_000; i++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
            // Fractions with trailing zeros (whole milliseconds, whole seconds) are the common case.
            ticks -= (i % 3) switch { 0 => 0, 1 => ticks % 10_000, _ => ticks % TimeSpan.TicksPerSecond };
            AssertSame(new DateTime(ticks, DateTimeKind.Utc));
        }
    }

    private static void AssertSame(DateTime time)
    {
        Span<byte> written = stackalloc byte[StoredTime.MaxLength];
        var length = StoredTime.Write(time, written);
        Assert.Equal(time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), Encoding.ASCII.GetString(written[..length]));
    }
}
