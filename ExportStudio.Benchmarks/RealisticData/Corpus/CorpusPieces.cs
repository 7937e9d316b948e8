namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>Where a piece of text comes from; the generator reports how much of each it quotes.</summary>
internal enum SourceId
{
    DotnetXmlDocs,
    PythonDocs,
    GitDocs,
    PythonSource,
    GoSource,
    Fortunes,
    Licenses,

    /// <summary>Glue written by the generator itself: question frames, openers, log lines' numbers and timestamps.</summary>
    Generated,
}

/// <summary>A paragraph (Markdown) or a fenced code block of a documentation section.</summary>
internal abstract record Block(SourceId Source)
{
    public abstract int Length { get; }
}

internal sealed record TextBlock(SourceId Source, string Text) : Block(Source)
{
    public override int Length => Text.Length;
}

internal sealed record CodeBlock(SourceId Source, string Language, string Code) : Block(Source)
{
    public override int Length => Code.Length;
}

/// <summary>A section of a documentation page: a heading and its paragraphs and code blocks, in order.</summary>
/// <param name="Topic">The page or module it belongs to ("json", "fs", "System.Text.Json"): projects group by it.</param>
internal sealed record DocSection(SourceId Source, string Topic, string Title, IReadOnlyList<Block> Blocks)
{
    public int Length => Blocks.Sum(b => b.Length);
}

/// <summary>A top-level unit of a source file: a function, a class, a type, or the module code between them.</summary>
internal sealed record CodeUnit(string Name, string Text, int Line);

/// <summary>A source file split into units; <see cref="Package"/> groups files into projects.</summary>
internal sealed record CodeFile(SourceId Source, string Language, string Path, string Package, IReadOnlyList<CodeUnit> Units)
{
    public int Length => Units.Sum(u => u.Text.Length);
}
