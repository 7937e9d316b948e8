using System.Text.RegularExpressions;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>reStructuredText inline markup as Markdown: roles, literals, links; footnotes and substitutions dropped.</summary>
internal static partial class RstInline
{
    // Roles that name prose (a cross-reference's title, a term, a menu) rather than code.
    private static readonly HashSet<string> PlainRoles = new(StringComparer.Ordinal)
    {
        "ref", "doc", "term", "keyword", "dfn", "menuselection", "guilabel", "source", "title",
    };

    public static string Render(string text)
    {
        text = Role().Replace(text, RenderRole);
        text = DoubleBacktick().Replace(text, "`$1`");
        text = Link().Replace(text, "[$1]($2)");
        text = Footnote().Replace(text, "");
        text = Substitution().Replace(text, "");
        return text.Replace("\\ ", "");
    }

    /// <summary>":func:`~json.dumps`" → "`dumps()`", ":pep:`8`" → "PEP 8", ":ref:`title &lt;label&gt;`" → "title".</summary>
    private static string RenderRole(Match m)
    {
        var role = m.Groups[1].Value;
        var content = m.Groups[2].Value;
        var angle = content.IndexOf(" <", StringComparison.Ordinal);
        if (angle > 0 && content.EndsWith('>')) content = content[..angle];
        if (content.StartsWith('~')) content = content[(content.LastIndexOf('.') + 1)..];
        content = content.TrimStart('!');
        if (role is "rfc") return "RFC " + content;
        if (role is "pep") return "PEP " + content;
        if (PlainRoles.Contains(role)) return content;
        if (role is "func" or "meth" && !content.EndsWith(')')) content += "()";
        return "`" + content + "`";
    }

    [GeneratedRegex(@":(?:[a-z]+:)?([a-z\-]+):`([^`]+)`")]
    private static partial Regex Role();

    [GeneratedRegex(@"``(.+?)``")]
    private static partial Regex DoubleBacktick();

    [GeneratedRegex(@"`([^`<]+?)\s*<([^>]+)>`__?")]
    private static partial Regex Link();

    [GeneratedRegex(@"\s*\[#[^\]]*\]_")]
    private static partial Regex Footnote();

    [GeneratedRegex(@"\|[a-z\-]+\|")]
    private static partial Regex Substitution();
}
