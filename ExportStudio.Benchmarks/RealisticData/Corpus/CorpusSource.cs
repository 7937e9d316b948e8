using System.Runtime.InteropServices;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>
/// A directory the corpus is read from, and the Debian 12 package that installs it. Every source is
/// required: the data set is deterministic only for the same inputs, so a missing one is reported with the
/// apt-get line that brings it rather than silently making different data. The .NET SDK's reference-pack
/// XML docs are always there with the SDK.
/// </summary>
internal sealed record CorpusSource(SourceId Id, string Path, string Packages, string Description)
{
    /// <summary>The Debian packages behind the sources other than the .NET SDK, for apt-get install (benchmark.sh installs the same list).</summary>
    public const string AptPackages =
        "python3.11-doc git golang-1.19-src libpython3.11-stdlib fortunes fortunes-de fortunes-ru fortunes-zh fortunes-es";

    public static string AptInstallLine => $"apt-get install -y {AptPackages}";

    public bool Exists => Directory.Exists(Path);

    public static IReadOnlyList<CorpusSource> Defaults(string? dotnetRoot = null)
    {
        dotnetRoot ??= DotnetRoot();
        return
        [
            new(SourceId.DotnetXmlDocs, System.IO.Path.Combine(dotnetRoot, "packs"), "the .NET SDK (dotnet-sdk-10.0)",
                "API reference of the shared frameworks: packs/Microsoft.{NETCore,AspNetCore}.App.Ref/<version>/ref/net*/*.xml"),
            new(SourceId.PythonDocs, "/usr/share/doc/python3.11/html/_sources", "python3.11-doc",
                "the Python 3.11 documentation's reStructuredText sources (tutorial, library reference, HOWTOs)"),
            // The release notes come with git itself. git-doc's guides and command reference (/usr/share/doc/git-doc)
            // are left out: with them the data compresses 6.5 times instead of 6.3, at the edge of real chats' range.
            new(SourceId.GitDocs, "/usr/share/doc/git", "git", "Git's release notes (AsciiDoc RelNotes/*.txt)"),
            new(SourceId.PythonSource, "/usr/lib/python3.11", "libpython3.11-stdlib libpython3.11-minimal", "the Python standard library's sources (*.py, tests excluded)"),
            new(SourceId.GoSource, "/usr/share/go-1.19/src", "golang-1.19-src", "the Go 1.19 standard library's sources (*.go, tests and testdata excluded)"),
            new(SourceId.Fortunes, "/usr/share/games/fortunes", "fortunes fortunes-de fortunes-ru fortunes-zh fortunes-es",
                "fortune cookies: quotes, jokes, poems; English, German, Russian, Chinese, Spanish (offensive sets excluded)"),
            new(SourceId.Licenses, "/usr/share/common-licenses", "base-files", "the common free-software licenses"),
        ];
    }

    /// <summary>The dotnet install this process runs on: DOTNET_ROOT, else three levels above the runtime directory.</summary>
    public static string DotnetRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment) && Directory.Exists(System.IO.Path.Combine(fromEnvironment, "packs")))
        {
            return fromEnvironment;
        }
        // The runtime directory is <root>/shared/Microsoft.NETCore.App/<version>/.
        var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/'));
        return runtime.Parent!.Parent!.Parent!.FullName;
    }
}
