using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>XML documentation comments as Markdown: inline markup as code spans and links, member ids as readable signatures.</summary>
internal static partial class XmlDocMarkdown
{
    /// <summary>Summary and remarks, as paragraphs.</summary>
    public static string Describe(XElement member)
    {
        var builder = new StringBuilder();
        var summary = member.Element("summary");
        if (summary is not null) builder.Append(Render(summary));
        var remarks = member.Element("remarks");
        if (remarks is not null)
        {
            var text = Render(remarks);
            if (text.Length > 0) builder.Append("\n\n").Append(text);
        }
        return builder.ToString().Trim();
    }

    /// <summary>The signature in bold, the description, then parameters, return value and exceptions; empty for an undocumented member.</summary>
    public static string DescribeMember(char kind, string fullName, string type, XElement member)
    {
        var description = Describe(member);
        if (description.Length == 0) return "";
        var builder = new StringBuilder();
        builder.Append("**`").Append(Signature(kind, fullName, type)).Append("`** — ").Append(description);
        var parameters = member.Elements("param").Concat(member.Elements("typeparam")).ToList();
        if (parameters.Count > 0)
        {
            builder.Append("\n\nParameters:");
            foreach (var parameter in parameters)
            {
                builder.Append("\n- `").Append((string?)parameter.Attribute("name")).Append("`: ").Append(Render(parameter));
            }
        }
        var returns = member.Element("returns") ?? member.Element("value");
        if (returns is not null)
        {
            var text = Render(returns);
            if (text.Length > 0) builder.Append("\n\nReturns: ").Append(text);
        }
        foreach (var exception in member.Elements("exception"))
        {
            builder.Append("\n\nThrows `").Append(ShortCref((string?)exception.Attribute("cref") ?? "")).Append("` when ").Append(LowerFirst(Render(exception)));
        }
        return builder.ToString();
    }

    /// <summary>"System.Collections.Generic.List`1" → "List&lt;T&gt;".</summary>
    public static string ShortType(string fullName)
    {
        var name = fullName;
        var tick = name.IndexOf('`');
        var generic = tick >= 0;
        if (generic) name = name[..tick];
        name = name[(name.LastIndexOf('.') + 1)..];
        return generic ? name + "<T>" : name;
    }

    public static string Dedent(string code)
    {
        var lines = code.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd();
    }

    /// <summary>Inline markup as Markdown; &lt;code&gt; blocks become separate code blocks, so the text only points at them.</summary>
    private static string Render(XElement element)
    {
        var builder = new StringBuilder();
        RenderInto(element, builder);
        // U+2029 marks paragraph breaks while whitespace is collapsed, then becomes a blank line.
        var text = Whitespace().Replace(builder.ToString(), " ");
        return ParagraphBreak().Replace(text, "\n\n").Trim();
    }

    private static void RenderInto(XElement element, StringBuilder builder)
    {
        foreach (var node in element.Nodes())
        {
            if (node is XText text) builder.Append(text.Value);
            else if (node is XElement child) RenderElement(child, builder);
        }
    }

    private static void RenderElement(XElement child, StringBuilder builder)
    {
        switch (child.Name.LocalName)
        {
            case "see" or "seealso":
                RenderReference(child, builder);
                break;
            case "paramref" or "typeparamref":
                builder.Append('`').Append((string?)child.Attribute("name")).Append('`');
                break;
            case "c":
                builder.Append('`').Append(child.Value).Append('`');
                break;
            case "code":
                builder.Append(" (see the example below) ");
                break;
            case "para" or "br":
                builder.Append('\u2029');
                RenderInto(child, builder);
                builder.Append('\u2029');
                break;
            case "item":
                builder.Append("\u2029- ");
                RenderInto(child, builder);
                break;
            case "term":
                builder.Append("**");
                RenderInto(child, builder);
                builder.Append("**: ");
                break;
            default:
                RenderInto(child, builder);
                break;
        }
    }

    /// <summary>A keyword as code, a web link as a Markdown link, anything else as the referenced name in code.</summary>
    private static void RenderReference(XElement see, StringBuilder builder)
    {
        var langword = (string?)see.Attribute("langword");
        var href = (string?)see.Attribute("href");
        if (langword is not null) builder.Append('`').Append(langword).Append('`');
        else if (href is not null) builder.Append('[').Append(see.Value.Length > 0 ? see.Value : href).Append("](").Append(href).Append(')');
        else builder.Append('`').Append(see.Value.Length > 0 ? see.Value : ShortCref((string?)see.Attribute("cref") ?? "")).Append('`');
    }

    /// <summary>
    /// A member id as a readable signature: "M:System.Linq.Enumerable.Aggregate``1(System.Collections.Generic.IEnumerable{``0},System.Func{``0,``0,``0})"
    /// → "Enumerable.Aggregate&lt;T&gt;(IEnumerable&lt;T&gt;, Func&lt;T, T, T&gt;)".
    /// </summary>
    private static string Signature(char kind, string fullName, string type)
    {
        var shortType = ShortType(type);
        var rest = fullName[(type.Length + 1)..];
        var paren = rest.IndexOf('(');
        var name = paren >= 0 ? rest[..paren] : rest;
        var parameters = paren >= 0 ? rest[(paren + 1)..].TrimEnd(')') : null;
        var generic = name.Contains("``");
        name = GenericArity().Replace(name, "");
        name = name == "#ctor" ? "new " + shortType.Split('<')[0] : shortType + "." + name;
        if (generic) name += "<T>";
        if (kind != 'M') return name;
        if (parameters is null) return name + "()";
        var list = Namespaces().Replace(parameters, "").Replace("{", "<").Replace("}", ">").Replace("``0", "T").Replace("``1", "TResult").Replace("`0", "T").Replace("`1", "TValue");
        list = GenericArity().Replace(list, "T").Replace(",", ", ").Replace("@", " ref");
        return name + "(" + list + ")";
    }

    /// <summary>A cref's last part, with the one before when that is capitalized too: "M:System.String.Split(System.Char)" → "String.Split".</summary>
    private static string ShortCref(string cref)
    {
        if (cref.Length > 2 && cref[1] == ':') cref = cref[2..];
        var paren = cref.IndexOf('(');
        if (paren >= 0) cref = cref[..paren];
        cref = GenericArity().Replace(cref, "");
        var parts = cref.Split('.');
        return parts.Length > 2 && !char.IsLower(parts[^1].FirstOrDefault()) && char.IsUpper(parts[^2].FirstOrDefault())
            ? parts[^2] + "." + parts[^1]
            : parts[^1];
    }

    private static string LowerFirst(string text) => text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    [GeneratedRegex(@"[ \t\n]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\s*(\u2029\s*)+")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"`+\d+")]
    private static partial Regex GenericArity();

    [GeneratedRegex(@"\b[A-Za-z_][A-Za-z0-9_]*\.")]
    private static partial Regex Namespaces();
}
