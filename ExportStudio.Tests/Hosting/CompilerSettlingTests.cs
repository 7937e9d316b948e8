using ExportStudio.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportStudio.Tests.Hosting;

/// <summary>The start-up's wait for the background compiler, against a compiler whose work is scripted.</summary>
public sealed class CompilerSettlingTests
{
    [Fact]
    public async Task The_wait_ends_once_compiling_stops_and_not_before()
    {
        // A compiler that compiles 40 methods a call for its first 12 calls, then nothing.
        var calls = 0;
        long compiled = 0;
        long CompiledMethods() => compiled += calls++ < 12 ? 40 : 0;

        var settled = await CompilerSettling.WaitAsync(NullLogger.Instance, CompiledMethods, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(settled);
        Assert.Equal(12 * 40, compiled);
        // Polled past the burst for at least the quiet time (three polls of 50 ms), not stopped at its first sight of it.
        Assert.True(calls >= 12 + 3, $"{calls} polls");
    }

    [Fact]
    public async Task A_compiler_that_never_stops_is_given_up_on_after_the_longest_wait()
    {
        long compiled = 0;

        var settled = await CompilerSettling.WaitAsync(NullLogger.Instance, () => compiled += 100, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), CancellationToken.None);

        Assert.False(settled);
    }
}
