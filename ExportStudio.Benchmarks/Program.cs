using System.Runtime.InteropServices;
using BenchmarkDotNet.Running;
using ExportStudio.Benchmarks.EndToEnd;
using ExportStudio.Benchmarks.RealisticData;

// e2e: the end-to-end benchmark against the standard tools; seed-realistic and check-realistic: the data
// set made of real text and its self-check; anything else goes to BenchmarkDotNet (e.g. `-- --filter '*Codec*'`).
if (args is [RealisticSeedCommand.Name, .. var seedArguments])
{
    return await RealisticSeedCommand.RunAsync(seedArguments);
}
if (args is [RealisticCheckCommand.Name, .. var checkArguments])
{
    return RealisticCheckCommand.Run(checkArguments);
}
if (args is ["e2e", .. var rest])
{
    var sizes = new List<int>();
    var dataDirectory = Path.Combine(Path.GetTempPath(), "exportstudio-bench");
    var docs = Path.Combine(FindRepositoryRoot(), "docs");
    string? app = null;
    for (var i = 0; i < rest.Length; i++)
    {
        switch (rest[i])
        {
            case "--megabytes" when i + 1 < rest.Length && int.TryParse(rest[i + 1], out var mb) && mb > 0:
                sizes.Add(mb);
                i++;
                break;
            case "--data" when i + 1 < rest.Length:
                dataDirectory = rest[++i];
                break;
            case "--docs" when i + 1 < rest.Length:
                docs = rest[++i];
                break;
            case "--app" when i + 1 < rest.Length && File.Exists(Path.Combine(rest[i + 1], "ExportStudio.Web.dll")):
                app = Path.GetFullPath(rest[++i]);
                break;
            default:
                Console.Error.WriteLine($"Unknown or incomplete argument '{rest[i]}'. Usage: e2e [--megabytes N]... [--data DIR] [--docs DIR] [--app PUBLISHED-APP-DIR]");
                return 2;
        }
    }
    if (sizes.Count == 0)
    {
        sizes.AddRange([100, 1000]);
    }
    foreach (var tool in new[] { "zstd", "gzip", "pigz" })
    {
        if (!ToolTimer.Exists(tool))
        {
            Console.Error.WriteLine($"'{tool}' is not installed; install it first (apt-get install -y zstd gzip pigz) or run ./benchmark.sh, which does.");
            return 2;
        }
    }

    var benchmark = new EndToEndBenchmark(dataDirectory, app);
    var results = new List<DataSetResults>();
    foreach (var megabytes in sizes)
    {
        Console.WriteLine($"== {megabytes} MB ==");
        results.Add(await benchmark.RunAsync(megabytes, allFormats: true));
    }
    BenchmarkReport.Write(docs, results, DescribeMachine(), "./benchmark.sh " + string.Join(' ', sizes.Select(s => $"--megabytes {s}")));
    Console.WriteLine($"Wrote {Path.Combine(docs, "benchmarks.md")}");
    return 0;
}

// dictionary: per-session zstd with and without a dictionary, solid tar.zst and the zstd CLI's own training, on many small realistic sessions.
if (args is ["dictionary", .. var dictionaryOptions])
{
    var megabytes = dictionaryOptions is ["--megabytes", var value] && int.TryParse(value, out var mb) && mb > 0 ? mb : dictionaryOptions.Length == 0 ? 20 : -1;
    if (megabytes < 0)
    {
        Console.Error.WriteLine("Usage: dictionary [--megabytes N]   (N > 0: size of the realistic data set's JSON in MB; default 20)");
        return 2;
    }
    var runs = await new DictionaryBenchmark(Path.Combine(Path.GetTempPath(), "exportstudio-bench")).RunAsync(megabytes);
    DictionaryReport.Write(Path.Combine(FindRepositoryRoot(), "docs"), runs, DescribeMachine(), $"./benchmark.sh --dictionary --megabytes {megabytes}");
    return 0;
}

// targets: the performance targets on each data set, measured in one run (see TargetBenchmark).
if (args is ["targets", .. var options])
{
    var megabytes = 107;
    var names = new List<string>();
    string? published = null;
    for (var i = 0; i < options.Length; i++)
    {
        switch (options[i])
        {
            case "--megabytes" when i + 1 < options.Length && int.TryParse(options[i + 1], out var mb) && mb > 0:
                megabytes = mb;
                i++;
                break;
            case "--data-set" when i + 1 < options.Length && DataSets.All.Any(d => d.Name == options[i + 1]):
                names.Add(options[++i]);
                break;
            case "--app" when i + 1 < options.Length && File.Exists(Path.Combine(options[i + 1], "ExportStudio.Web.dll")):
                published = Path.GetFullPath(options[++i]);
                break;
            default:
                Console.Error.WriteLine($"Unknown or incomplete argument '{options[i]}'. Usage: targets [--megabytes N] [--data-set {string.Join('|', DataSets.All.Select(d => d.Name))}]... [--app PUBLISHED-APP-DIR]");
                return 2;
        }
    }
    var sets = names.Count == 0 ? DataSets.All : DataSets.All.Where(d => names.Contains(d.Name)).ToList();
    var targets = new TargetBenchmark(Path.Combine(Path.GetTempPath(), "exportstudio-bench"), published);
    var measured = new List<TargetResults>();
    foreach (var set in sets)
    {
        Console.WriteLine($"== {set.Name}, {megabytes} MB ==");
        measured.Add(await targets.RunAsync(set, megabytes));
    }
    TargetReport.Write(Path.Combine(FindRepositoryRoot(), "docs"), measured, DescribeMachine(),
        $"./benchmark.sh --targets --megabytes {megabytes}");
    return 0;
}

// import-sources: a large ChatGPT- and Claude-shaped export imported by the app, against its own JSON (see ImportSourcesBenchmark).
if (args is ["import-sources", .. var importOptions])
{
    var megabytes = 200;
    string? published = null;
    for (var i = 0; i < importOptions.Length; i++)
    {
        switch (importOptions[i])
        {
            case "--megabytes" when i + 1 < importOptions.Length && int.TryParse(importOptions[i + 1], out var mb) && mb > 0:
                megabytes = mb;
                i++;
                break;
            case "--app" when i + 1 < importOptions.Length && File.Exists(Path.Combine(importOptions[i + 1], "ExportStudio.Web.dll")):
                published = Path.GetFullPath(importOptions[++i]);
                break;
            default:
                Console.Error.WriteLine($"Unknown or incomplete argument '{importOptions[i]}'. Usage: import-sources [--megabytes N] [--app PUBLISHED-APP-DIR]");
                return 2;
        }
    }
    var imports = new ImportSourcesBenchmark(Path.Combine(Path.GetTempPath(), "exportstudio-bench"), published);
    var imported = new List<ImportSourceResults>();
    foreach (var source in new[] { ForeignSource.ChatGpt, ForeignSource.Claude })
    {
        Console.WriteLine($"== {source}, {megabytes} MB ==");
        imported.Add(await imports.RunAsync(source, megabytes));
    }
    ImportSourcesReport.Write(Path.Combine(FindRepositoryRoot(), "docs"), imported, DescribeMachine(),
        $"./benchmark.sh --import-sources --megabytes {megabytes}");
    return 0;
}

// viewer: the in-browser viewer on a large zstd export (Chromium), one row for docs/benchmarks.md.
if (args is ["viewer", .. var viewerArgs])
{
    var megabytes = 1000;
    var dataDirectory = Path.Combine(Path.GetTempPath(), "exportstudio-bench");
    var chromium = "/usr/bin/chromium";
    string? app = null;
    for (var i = 0; i < viewerArgs.Length; i++)
    {
        switch (viewerArgs[i])
        {
            case "--megabytes" when i + 1 < viewerArgs.Length && int.TryParse(viewerArgs[i + 1], out var mb) && mb > 0:
                megabytes = mb;
                i++;
                break;
            case "--data" when i + 1 < viewerArgs.Length:
                dataDirectory = viewerArgs[++i];
                break;
            case "--chromium" when i + 1 < viewerArgs.Length:
                chromium = viewerArgs[++i];
                break;
            case "--app" when i + 1 < viewerArgs.Length && File.Exists(Path.Combine(viewerArgs[i + 1], "ExportStudio.Web.dll")):
                app = Path.GetFullPath(viewerArgs[++i]);
                break;
            default:
                Console.Error.WriteLine($"Unknown or incomplete argument '{viewerArgs[i]}'. Usage: viewer [--megabytes N] [--data DIR] [--chromium PATH] [--app PUBLISHED-APP-DIR]");
                return 2;
        }
    }
    if (!File.Exists(chromium))
    {
        Console.Error.WriteLine($"Chromium is not at {chromium}; install it (apt-get install -y chromium) or pass --chromium PATH.");
        return 2;
    }
    Console.WriteLine($"== viewer, {megabytes} MB ==");
    var run = await new ViewerBenchmark(dataDirectory, app, chromium).RunAsync(megabytes);
    Console.WriteLine(run.MarkdownRow($"dotnet ExportStudio.Benchmarks.dll viewer --megabytes {megabytes}"));
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ExportStudio.Benchmarks.Micro.CodecBenchmarks).Assembly).Run(args);
return 0;

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "ExportStudio.sln")))
        {
            return directory.FullName;
        }
    }
    return Directory.GetCurrentDirectory();
}

static string DescribeMachine()
{
    var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    var memory = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    return $"{Environment.ProcessorCount} × {cpu}, {long.Parse(memory) / 1024 / 1024} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}
