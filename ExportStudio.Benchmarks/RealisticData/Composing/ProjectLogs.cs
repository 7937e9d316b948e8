using System.Globalization;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// The failures a project's user pastes: a crash or build error in the project's language (quoting its
/// own files), a git error, or a stretch of server or application log; and the output of its test runs.
/// </summary>
internal sealed class ProjectLogs(StackTraces traces, RunLogs runs)
{
    private static readonly string[] GitErrors =
    [
        "To github.com:{0}/{1}.git\n ! [rejected]        main -> main (non-fast-forward)\nerror: failed to push some refs to 'github.com:{0}/{1}.git'\nhint: Updates were rejected because the tip of your current branch is behind\nhint: its remote counterpart. Integrate the remote changes (e.g.\nhint: 'git pull ...') before pushing again.\nhint: See the 'Note about fast-forwards' in 'git push --help' for details.",
        "Auto-merging src/{1}/config.py\nCONFLICT (content): Merge conflict in src/{1}/config.py\nAutomatic merge failed; fix conflicts and then commit the result.",
        "error: Your local changes to the following files would be overwritten by checkout:\n\tREADME.md\n\tsrc/{1}/main.go\nPlease commit your changes or stash them before you switch branches.\nAborting",
        "fatal: refusing to merge unrelated histories",
        "error: cannot lock ref 'refs/remotes/origin/feature/{1}': is at 3f2a9c1 but expected 9b8e7d2\n ! 9b8e7d2...3f2a9c1 feature/{1} -> origin/feature/{1}  (unable to update local ref)",
        "hint: You have divergent branches and need to specify how to reconcile them.\nhint: You can do so by running one of the following commands sometime before\nhint: your next pull:\nhint:\nhint:   git config pull.rebase false  # merge\nhint:   git config pull.rebase true   # rebase\nhint:   git config pull.ff only       # fast-forward only\nfatal: Need to specify how to reconcile divergent branches.",
    ];

    // Words for URL paths when the project's code has too few function names of its own.
    private static readonly string[] FallbackPathWords = ["api", "v1", "orders", "health", "static", "login"];

    public string ErrorLog(Rng rng, Project project)
    {
        var words = project.Files.SelectMany(f => f.Units).Select(u => u.Name.ToLowerInvariant()).Where(n => n.Length > 2 && n != "<module>").Distinct().ToList();
        if (words.Count < 3) words.AddRange(FallbackPathWords);
        if (rng.Chance(0.2))
        {
            return rng.Chance(0.5)
                ? runs.AccessLog(rng, rng.LogNormal(12, 1.0, 3, 400), words)
                : runs.AppLog(rng, rng.LogNormal(12, 1.0, 3, 400), project.Name);
        }
        var log = project.Language switch
        {
            "python" => traces.PythonTraceback(rng, project.Files, project.Root),
            "go" => traces.GoFailure(rng, project.Files),
            "csharp" => traces.DotnetBuild(rng, project.Name),
            _ => string.Format(CultureInfo.InvariantCulture, rng.Pick(GitErrors), project.User, project.Name),
        };
        // Crashes are often pasted with the log lines that led up to them.
        if (rng.Chance(0.25)) log = runs.AppLog(rng, rng.Next(2, 15), project.Name) + "\n" + log;
        return log;
    }

    public string TestRun(Rng rng, Project project, IReadOnlyList<string> names) => runs.TestRun(rng, project.Language, names);
}
