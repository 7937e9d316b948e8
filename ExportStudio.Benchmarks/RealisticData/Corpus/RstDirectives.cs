using System.Text.RegularExpressions;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>
/// reStructuredText directives (".. name:: argument" and an indented body): code directives become code
/// blocks, API directives (function, class, method) a bold signature followed by their description,
/// admonitions a labelled paragraph; index, table and C-API markup is left out.
/// </summary>
internal static partial class RstDirectives
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        "index", "toctree", "moduleauthor", "sectionauthor", "highlight", "testsetup", "testcleanup", "only", "raw",
        "image", "figure", "include", "literalinclude", "productionlist", "audit-event", "audit-event-table", "availability",
        "impl-detail", "opcode", "2to3fixer", "pdbcommand", "cmdoption", "envvar", "option", "describe", "program",
        "currentmodule", "module", "tabularcolumns", "csv-table", "list-table", "table", "rubric", "glossary", "c:macro",
        "c:type", "c:var", "c:member", "c:function", "c:struct", "c:enum", "c:enumerator", "centered", "hlist", "sidebar",
        "limited-api-list", "miscnews", "doctest-skip", "unicode", "|", "_",
    };

    private static readonly HashSet<string> Api = new(StringComparer.Ordinal)
    {
        "function", "class", "method", "attribute", "data", "exception", "decorator", "classmethod", "staticmethod",
        "coroutinefunction", "coroutinemethod", "abstractmethod", "decoratormethod", "property",
    };

    private static readonly Dictionary<string, string> Admonitions = new(StringComparer.Ordinal)
    {
        ["note"] = "Note", ["warning"] = "Warning", ["seealso"] = "See also", ["versionadded"] = "New in version",
        ["versionchanged"] = "Changed in version", ["deprecated"] = "Deprecated since version", ["tip"] = "Tip",
        ["important"] = "Important", ["caution"] = "Caution", ["attention"] = "Attention", ["hint"] = "Hint",
        ["deprecated-removed"] = "Deprecated", ["danger"] = "Danger", ["admonition"] = "",
    };

    /// <summary>Reads the directive at <paramref name="i"/> into <paramref name="blocks"/>; returns the line after it.</summary>
    public static int Read(string[] lines, int i, int indent, List<Block> blocks)
    {
        var match = DirectiveLine().Match(lines[i].Trim());
        var name = match.Success ? match.Groups[1].Value : "";
        var argument = match.Success ? match.Groups[2].Value.Trim() : "";
        if (name.StartsWith("py:", StringComparison.Ordinal)) name = name[3..];
        i++;
        if (name is "code-block" or "code" or "sourcecode" or "testcode" or "doctest")
        {
            while (i < lines.Length && lines[i].Trim().StartsWith(':')) i++; // options
            return RstReader.Literal(lines, i, indent, blocks, argument.Length > 0 ? argument : "python");
        }
        var bodyStart = i;
        while (i < lines.Length && lines[i].Trim().StartsWith(':') && RstReader.Indent(lines[i]) > indent) i++; // options
        var bodyEnd = RstReader.BodyEnd(lines, i, indent);
        if (Api.Contains(name))
        {
            blocks.Add(new TextBlock(SourceId.PythonDocs, $"**`{Signature(lines, argument, bodyStart, bodyEnd, indent)}`**"));
            AddBody(lines, i, bodyEnd, blocks);
        }
        else if (Admonitions.TryGetValue(name, out var label))
        {
            var body = string.Join(" ", lines[i..bodyEnd].Select(l => l.Trim()).Where(l => l.Length > 0));
            var text = (label.Length > 0 ? $"**{label}{(argument.Length > 0 ? " " + argument : "")}:** " : "") + RstInline.Render(body);
            if (text.Trim().Length > 0) blocks.Add(new TextBlock(SourceId.PythonDocs, text.Trim()));
        }
        else if (!Skipped.Contains(name) && name.Length > 0 && !name.StartsWith('_') && !name.Contains(':'))
        {
            AddBody(lines, i, bodyEnd, blocks);
        }
        return bodyEnd;
    }

    /// <summary>The signature, with the continuation lines a trailing backslash announces.</summary>
    private static string Signature(string[] lines, string argument, int bodyStart, int bodyEnd, int indent)
    {
        var signature = argument;
        while (bodyStart < lines.Length && lines[bodyStart].Trim().Length > 0 && !lines[bodyStart].Trim().StartsWith(':')
               && RstReader.Indent(lines[bodyStart]) > indent && bodyStart < bodyEnd && signature.EndsWith('\\'))
        {
            signature = signature.TrimEnd('\\') + " " + lines[bodyStart].Trim();
            bodyStart++;
        }
        return signature;
    }

    /// <summary>A directive's body, dedented and parsed as paragraphs and code of its own.</summary>
    private static void AddBody(string[] lines, int start, int end, List<Block> blocks)
    {
        if (end <= start) return;
        var body = lines[start..end];
        var indent = body.Where(l => l.Trim().Length > 0).Select(RstReader.Indent).DefaultIfEmpty(0).Min();
        var text = string.Join('\n', body.Select(l => l.Length >= indent ? l[indent..] : l.Trim()));
        foreach (var section in RstReader.Parse(text, ""))
        {
            blocks.AddRange(section.Blocks);
        }
    }

    [GeneratedRegex(@"^\.\.\s+([A-Za-z0-9_:\-|]+)::\s*(.*)$")]
    private static partial Regex DirectiveLine();
}
