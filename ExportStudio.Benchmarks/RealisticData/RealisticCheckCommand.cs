using System.Diagnostics;
using ExportStudio.Benchmarks.RealisticData.Composing;
using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.RealisticData;

/// <summary>
/// <c>check-realistic [--sessions 2000] [--seed N]</c>: a self-check of the realistic generator that needs no
/// database: composes the same sessions twice from one corpus and compares them, checks the keys and order
/// the bulk writer relies on, and prints the fingerprints another machine's run can be compared with.
/// </summary>
internal static class RealisticCheckCommand
{
    public const string Name = "check-realistic";
    private const string UsageLine = "Usage: check-realistic [--sessions N] [--seed N]   (N > 0; default 2000 sessions, seed 20261201)";

    public static int Run(string[] args)
    {
        var options = RealisticOptions.Parse(args, ["--sessions", "--seed"], out var error);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(UsageLine);
            return 2;
        }
        var count = options.Sessions > 0 ? options.Sessions : 2000;
        var stopwatch = Stopwatch.StartNew();
        TextCorpus corpus;
        try
        {
            corpus = CorpusLoader.Load(CorpusSource.Defaults());
        }
        catch (MissingCorpusException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        Console.WriteLine($"Corpus read in {stopwatch.Elapsed.TotalSeconds:F1} s; corpus fingerprint {CorpusFingerprint.Of(corpus)}.");

        var problems = new List<string>();
        var first = Compose(corpus, options.Seed, count, problems);
        var second = Compose(corpus, options.Seed, count, problems: null);
        var other = Compose(corpus, options.Seed + 1, count, problems: null);
        if (first != second) problems.Add($"The same seed gave different sessions: {first} and {second}.");
        if (first == other) problems.Add("Seeds differing by one gave the same sessions.");

        Console.WriteLine($"{count:N0} sessions with seed {options.Seed}: fingerprint {first}.");
        foreach (var problem in problems.Take(20)) Console.Error.WriteLine("  " + problem);
        Console.WriteLine(problems.Count == 0 ? "Check passed." : $"Check FAILED: {problems.Count} problem(s).");
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary>The fingerprint of the first <paramref name="count"/> sessions; each is also checked when <paramref name="problems"/> is given.</summary>
    private static string Compose(TextCorpus corpus, ulong seed, int count, List<string>? problems)
    {
        var composer = new SessionComposer(corpus, seed, new Usage());
        using var fingerprint = new SessionFingerprint();
        var ids = new HashSet<Guid>();
        var previous = DateTime.MinValue;
        for (var i = 0; i < count; i++)
        {
            var session = composer.Next();
            fingerprint.Add(session);
            if (problems is null) continue;
            SessionChecks.Check(session, ids, problems);
            if (session.CreatedAt < previous) problems.Add($"Session {i} starts before the one before it.");
            previous = session.CreatedAt;
        }
        return fingerprint.Current();
    }
}
