namespace ExportStudio.Tests.Exporting.Reading;

public sealed class MessageIdFilterTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)] // time-ordered ids, as the app makes them
    public void Every_id_of_the_set_passes_and_few_others_do(bool timeOrdered)
    {
        var random = new Random(15);
        Guid NewId(int i) => timeOrdered ? Guid.CreateVersion7(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(i)) : new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16));
        var members = Enumerable.Range(0, 20_000).Select(NewId).ToList();
        var others = Enumerable.Range(20_000, 200_000).Select(NewId).ToList();

        var filter = new MessageIdFilter(members);

        Assert.Equal(members.Count, filter.Count);
        Assert.All(members, id => Assert.True(filter.MightContain(id)));
        var passed = others.Count(filter.MightContain);
        Assert.InRange(passed, 0, others.Count / 32); // one in 64 expected
    }

    [Fact]
    public void An_empty_set_lets_nothing_through()
    {
        var filter = new MessageIdFilter([]);

        Assert.Equal(0, filter.Count);
        Assert.False(filter.MightContain(Guid.NewGuid()));
        Assert.False(filter.MightContain(Guid.Empty));
    }
}
