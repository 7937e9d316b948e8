using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// A person working on a code base for days: the same few files and doc sections come back in every one
/// of its sessions, which puts realistic repetition hundreds of kilobytes to megabytes apart in an export.
/// </summary>
internal sealed class Project
{
    public required string Name { get; init; }
    public required string Language { get; init; }
    public required string User { get; init; }
    public required List<CodeFile> Files { get; init; }
    public required List<DocSection> Docs { get; init; }
    public string? SystemPrompt { get; init; }
    public DateTime Ends { get; init; }
    public DateTime LastUsed { get; set; }
    public string Root => $"/home/{User}/src/{Name}";
}

/// <summary>What sessions are about, and how often: projects and one-off API questions pick from these.</summary>
internal static class ChatLanguages
{
    // No JavaScript: its docs would come from nodejs-doc, and installing that package removes the nodejs
    // and npm from NodeSource that the machines need.
    private static readonly string[] Names = ["python", "go", "csharp", "git"];
    private static readonly double[] Weights = [30, 16, 18, 8];

    public static string Pick(Rng rng) => Names[rng.PickWeighted(Weights)];
}
