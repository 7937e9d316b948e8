using System.Globalization;
using System.Text;
using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// Crashes and build failures as people paste them into chats: Python tracebacks, Go panics and compiler
/// errors, dotnet build output. The frames quote real lines of the real sources and the
/// messages are the sources' own error strings; addresses, line numbers and counts are drawn at random.
/// </summary>
internal sealed class StackTraces(TextCorpus corpus, Usage usage)
{
    // {0}: a .NET type of the docs, {1}: another type's name, standing in for a member or variable.
    private static readonly string[] CSharpDiagnostics =
    [
        "error CS0246: The type or namespace name '{0}' could not be found (are you missing a using directive or an assembly reference?)",
        "error CS1061: '{0}' does not contain a definition for '{1}' and no accessible extension method '{1}' accepting a first argument of type '{0}' could be found",
        "error CS0103: The name '{1}' does not exist in the current context", "error CS0029: Cannot implicitly convert type '{0}' to '{1}'",
        "error CS1503: Argument 1: cannot convert from '{0}' to '{1}'", "warning CS8618: Non-nullable property '{1}' must contain a non-null value when exiting constructor. Consider adding the 'required' modifier or declaring the property as nullable.",
        "warning CS8602: Dereference of a possibly null reference.", "warning CS1998: This async method lacks 'await' operators and will run synchronously.",
        "error CS0120: An object reference is required for the non-static field, method, or property '{0}.{1}'", "warning CS0168: The variable '{1}' is declared but never used",
        "error CS4033: The 'await' operator can only be used within an async method.", "warning CA2016: Forward the 'cancellationToken' parameter to the '{1}' method",
    ];

    // {0}: an identifier of the code, {1}: a type, {2}: the unit's function name.
    private static readonly string[] GoCompileErrors =
    [
        "undefined: {0}", "cannot use {0} (variable of type {1}) as {1} value in argument to {2}", "{0} declared and not used", "missing return",
        "too many arguments in call to {2}", "assignment mismatch: 2 variables but {2} returns 1 value", "imported and not used: \"{1}\"", "invalid operation: {0} (mismatched types {1} and int)",
    ];

    private static readonly string[] DotnetFiles =
        ["Program.cs", "Startup.cs", "Services/OrderService.cs", "Controllers/ApiController.cs", "Data/AppDbContext.cs", "Models/Invoice.cs", "Workers/SyncWorker.cs"];

    public string PythonTraceback(Rng rng, IReadOnlyList<CodeFile>? projectFiles, string? projectRoot)
    {
        var files = corpus.Code["python"];
        var builder = new StringBuilder("Traceback (most recent call last):\n");
        var frames = rng.Next(2, 9);
        for (var f = 0; f < frames; f++)
        {
            var own = projectFiles is { Count: > 0 } && (f == 0 || rng.Chance(0.3));
            var file = own ? rng.Pick(projectFiles!) : rng.Pick(files);
            var unit = rng.Pick(file.Units);
            var lines = unit.Text.Split('\n');
            var index = rng.Next(lines.Length);
            var line = lines[index].Trim();
            if (line.Length == 0) line = lines[0].Trim();
            var path = own && projectRoot is not null ? $"{projectRoot}/{file.Path}" : "/usr/lib/python3.11/" + file.Path;
            builder.Append("  File \"").Append(path).Append("\", line ").Append(unit.Line + index).Append(", in ").Append(unit.Name).Append('\n');
            builder.Append("    ").Append(line).Append('\n');
            // The unit and line name the piece: the split lines are a new array each time.
            usage.Add(SourceId.PythonSource, (unit, index), line.Length);
        }
        var error = rng.Pick(corpus.PythonErrors);
        usage.Add(SourceId.PythonSource, error, error.Length);
        builder.Append(error);
        return builder.ToString();
    }

    public string GoFailure(Rng rng, IReadOnlyList<CodeFile>? projectFiles)
    {
        var builder = new StringBuilder();
        var pool = projectFiles is { Count: > 0 } ? projectFiles : corpus.Code["go"];
        if (rng.Chance(0.5))
        {
            // Compiler errors
            builder.Append("# ").Append(rng.Pick(pool).Package).Append('\n');
            var count = rng.Next(1, 7);
            for (var i = 0; i < count; i++)
            {
                var file = rng.Pick(pool);
                var unit = rng.Pick(file.Units);
                var template = rng.Pick(GoCompileErrors);
                var identifier = Identifier(rng, unit.Text) ?? unit.Name;
                builder.Append("./").Append(Path.GetFileName(file.Path)).Append(':').Append(unit.Line + rng.Next(30)).Append(':')
                    .Append(rng.Next(2, 40)).Append(": ")
                    .Append(string.Format(CultureInfo.InvariantCulture, template, identifier, rng.Chance(0.5) ? "string" : "[]byte", unit.Name))
                    .Append('\n');
            }
            return builder.ToString().TrimEnd();
        }
        var message = rng.Pick(corpus.GoErrors);
        builder
            .Append(rng.Chance(0.5) ? "panic: " + message : "panic: runtime error: index out of range [" + rng.Next(1, 64) + "] with length " + rng.Next(0, 8))
            .Append("\n\ngoroutine ").Append(rng.Next(1, 300)).Append(" [running]:\n");
        var frames = rng.Next(3, 10);
        for (var f = 0; f < frames; f++)
        {
            var file = rng.Pick(f < 2 ? pool : corpus.Code["go"]);
            var unit = rng.Pick(file.Units);
            builder.Append(file.Package.Replace('/', '.').Split('.')[^1]).Append('.').Append(unit.Name).Append("(0x")
                .Append((rng.NextUInt64() % 0xffffffffff).ToString("x", CultureInfo.InvariantCulture)).Append(", 0x")
                .Append(rng.Next(1, 4096).ToString("x", CultureInfo.InvariantCulture)).Append(")\n")
                .Append("\t/usr/share/go-1.19/src/").Append(file.Path).Append(':').Append(unit.Line + rng.Next(20)).Append(" +0x")
                .Append(rng.Next(16, 2048).ToString("x", CultureInfo.InvariantCulture)).Append('\n');
        }
        usage.Add(SourceId.GoSource, message, message.Length);
        builder.Append("exit status 2");
        return builder.ToString();
    }

    public string DotnetBuild(Rng rng, string project)
    {
        var builder = new StringBuilder();
        builder.Append("  Determining projects to restore...\n  All projects are up-to-date for restore.\n");
        var count = rng.Next(1, 9);
        for (var i = 0; i < count; i++)
        {
            var type = rng.Pick(corpus.DotnetTypes);
            var member = rng.Pick(corpus.DotnetTypes).Split('<')[0];
            var file = rng.Pick(DotnetFiles);
            builder.Append("/src/").Append(project).Append('/').Append(file).Append('(').Append(rng.Next(1, 400)).Append(',').Append(rng.Next(1, 60))
                .Append("): ")
                .Append(string.Format(CultureInfo.InvariantCulture, rng.Pick(CSharpDiagnostics), type, member)).Append(" [/src/").Append(project)
                .Append('/').Append(project).Append(".csproj]\n");
        }
        builder.Append("\nBuild FAILED.\n\n    ").Append(rng.Next(0, 12)).Append(" Warning(s)\n    ").Append(rng.Next(1, 6))
            .Append(" Error(s)\n\nTime Elapsed 00:00:").Append(rng.Next(1, 59).ToString("00", CultureInfo.InvariantCulture)).Append('.')
            .Append(rng.Next(0, 99).ToString("00", CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    private static string? Identifier(Rng rng, string code)
    {
        var words = code.Split([' ', '(', ')', '.', ',', '\n', '\t', '[', ']', '{', '}', '*', '&', ':', '='], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length > 3 && char.IsLetter(w[0]) && w.All(ch => char.IsLetterOrDigit(ch) || ch == '_')).ToList();
        return words.Count == 0 ? null : rng.Pick(words);
    }
}
