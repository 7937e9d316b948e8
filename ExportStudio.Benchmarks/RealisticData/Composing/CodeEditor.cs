using System.Text.RegularExpressions;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// An assistant's revision of code the user pasted: most of it repeated, with a few edits (a rename, a
/// guard clause, a removed or commented line, a changed constant), sometimes cut down to the part that
/// changed. Real assistants answer this way, and the near-copies are a large part of why chat exports
/// compress as they do.
/// </summary>
internal static partial class CodeEditor
{
    private const int NoEdit = int.MaxValue;

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "self", "return", "import", "from", "class", "func", "type", "struct", "const", "async", "await", "None", "True", "False", "string",
        "else", "elif", "while", "with", "yield", "lambda", "pass", "break", "continue", "raise", "except", "finally", "interface", "package",
        "public", "private", "static", "void", "var", "let", "function", "null", "true", "false", "this", "new", "default", "switch", "case",
    };

    private static readonly string[] Suffixes = ["Value", "Count", "Async", "2", "_new", "Safe", "List", "Map", "Result", "Buf", "Opts", "Ctx"];

    /// <param name="comment">Text for an inserted comment line; called only when one is inserted.</param>
    public static string Revise(Rng rng, string code, string language, Func<string> comment)
    {
        var lines = code.Split('\n').ToList();
        var edits = rng.Next(1, 5);
        var firstEdit = lines.Count;
        for (var e = 0; e < edits; e++)
        {
            var at = rng.Next(5) switch
            {
                0 => Rename(rng, lines),
                1 when lines.Count > 8 => RemoveLines(rng, lines),
                2 => InsertComment(rng, lines, language, comment),
                3 => InsertGuard(rng, lines, language),
                _ => ChangeNumber(rng, lines),
            };
            firstEdit = Math.Min(firstEdit, at);
        }
        if (lines.Count > 40 && rng.Chance(0.35))
        {
            // Only the part around the change, as assistants often show.
            var from = Math.Max(0, Math.Min(firstEdit, lines.Count - 1) - rng.Next(2, 10));
            var take = Math.Min(lines.Count - from, rng.Next(15, 60));
            lines = lines.GetRange(from, take);
        }
        return string.Join('\n', lines);
    }

    /// <summary>Each edit returns the first line it changed, or <see cref="NoEdit"/>.</summary>
    private static int Rename(Rng rng, List<string> lines)
    {
        var identifiers = Identifier().Matches(string.Join('\n', lines)).Select(m => m.Value).Where(w => !Keywords.Contains(w)).Distinct().ToList();
        if (identifiers.Count == 0) return NoEdit;
        var name = rng.Pick(identifiers);
        var renamed = name + rng.Pick(Suffixes);
        var pattern = new Regex(@"\b" + Regex.Escape(name) + @"\b");
        var first = NoEdit;
        for (var i = 0; i < lines.Count; i++)
        {
            if (pattern.IsMatch(lines[i]))
            {
                lines[i] = pattern.Replace(lines[i], renamed);
                first = Math.Min(first, i);
            }
        }
        return first;
    }

    private static int RemoveLines(Rng rng, List<string> lines)
    {
        var at = rng.Next(1, lines.Count - 2);
        lines.RemoveRange(at, Math.Min(rng.Next(1, 4), lines.Count - at - 1));
        return at;
    }

    private static int InsertComment(Rng rng, List<string> lines, string language, Func<string> comment)
    {
        var at = rng.Next(lines.Count);
        var indent = Indentation(lines[at]);
        var prefix = language is "python" or "shell" or "console" ? "# " : "// ";
        lines.Insert(at, indent + prefix + comment());
        return at;
    }

    private static int InsertGuard(Rng rng, List<string> lines, string language)
    {
        var at = rng.Next(lines.Count);
        var indent = Indentation(lines[at]);
        string[] guard = language switch
        {
            "python" or "pycon" => [indent + "if value is None:", indent + "    raise ValueError(\"value must not be None\")"],
            "go" => [indent + "if err != nil {", indent + "\treturn fmt.Errorf(\"" + rng.Pick(["read", "open", "parse", "decode", "write"]) + ": %w\", err)", indent + "}"],
            "csharp" => [indent + "ArgumentNullException.ThrowIfNull(value);"],
            "shell" or "console" => [indent + "set -euo pipefail"],
            _ => [indent + "if (!value) {", indent + "  throw new TypeError('value is required');", indent + "}"],
        };
        lines.InsertRange(at, guard);
        return at;
    }

    private static int ChangeNumber(Rng rng, List<string> lines)
    {
        for (var tries = 0; tries < 8; tries++)
        {
            var at = rng.Next(lines.Count);
            var m = Number().Match(lines[at]);
            if (!m.Success) continue;
            lines[at] = lines[at][..m.Index] + rng.Next(2, 4096) + lines[at][(m.Index + m.Length)..];
            return at;
        }
        return NoEdit;
    }

    private static string Indentation(string line) => line[..(line.Length - line.TrimStart().Length)];

    [GeneratedRegex(@"\b[A-Za-z_][A-Za-z0-9_]{3,}\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\b\d{1,4}\b")]
    private static partial Regex Number();
}
