namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>
/// A generated part of docs/benchmarks.md, between its own <c>&lt;!-- name:start --&gt;</c> and
/// <c>&lt;!-- name:end --&gt;</c> markers: replaced in place, or added at the end (after its heading) the first time.
/// </summary>
internal static class MarkedSection
{
    public static void Write(string markdown, string name, string content, string? headingIfNew = null)
    {
        var (start, end) = ($"<!-- {name}:start -->", $"<!-- {name}:end -->");
        var text = File.Exists(markdown) ? File.ReadAllText(markdown) : "# Benchmarks\n";
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        text = from >= 0 && to > from
            ? text[..(from + start.Length)] + "\n" + content + "\n" + text[to..]
            : text.TrimEnd() + "\n\n" + (headingIfNew is null ? "" : headingIfNew + "\n\n") + start + "\n" + content + "\n" + end + "\n";
        File.WriteAllText(markdown, text);
    }
}
