using System.Globalization;

namespace ExportStudio.Benchmarks.RealisticData;

/// <summary>The realistic data commands' arguments: <c>--megabytes N --database PATH --seed N --sessions N</c>, each command taking some.</summary>
internal sealed class RealisticOptions
{
    /// <summary>The seed the data set is defined by; a different one gives different sessions from the same corpus.</summary>
    public const ulong DefaultSeed = 20261201;

    public double Megabytes { get; private set; }
    public string? Database { get; private set; }
    public ulong Seed { get; private set; } = DefaultSeed;
    public int Sessions { get; private set; }

    /// <param name="allowed">The options this command takes, e.g. "--megabytes", "--database", "--seed".</param>
    public static RealisticOptions? Parse(string[] args, IReadOnlyCollection<string> allowed, out string error)
    {
        var options = new RealisticOptions();
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : null;
            if (!allowed.Contains(name))
            {
                error = $"Unknown argument '{name}'.";
                return null;
            }
            if (!options.TrySet(name, value))
            {
                error = $"{name} needs {(name == "--database" ? "a file path" : "a positive number")}, got '{value}'.";
                return null;
            }
        }
        return options;
    }

    private bool TrySet(string name, string? value)
    {
        switch (name)
        {
            case "--megabytes" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var mb) && mb > 0:
                Megabytes = mb;
                return true;
            case "--database" when !string.IsNullOrWhiteSpace(value):
                Database = value;
                return true;
            case "--seed" when ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed):
                Seed = seed;
                return true;
            case "--sessions" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0:
                Sessions = count;
                return true;
            default:
                return false;
        }
    }
}
