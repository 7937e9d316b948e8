using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ExportStudio.Tests.EndToEnd;

/// <summary>axe-core (bundled in Deque.AxeCore.Playwright, so it needs no network) run on the page as it is.</summary>
public static class Axe
{
    /// <summary>Every violation of every rule axe has, one line each with the elements it found, so a failure says what to fix.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        // A colour measured mid-transition (a result fading in, a theme switching) is neither state's colour,
        // so axe waits for every finite animation and transition to end; spinners that never end are left running.
        await page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity)",
            null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        var result = await page.RunAxe(new AxeRunOptions { ResultTypes = [ResultType.Violations] });
        return result.Violations
            .Select(v => $"{v.Id} ({v.Impact}, {v.Nodes.Length}): {v.Help} — " +
                         string.Join(" | ", v.Nodes.Take(4).Select(n => $"{n.Target} {n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message).FirstOrDefault()}")))
            .ToList();
    }
}
