using System.Reflection;

namespace ExportStudio.Tests.Configuration;

/// <summary>The README's settings table against the settings the app reads: a new one must be documented there.</summary>
public sealed class ReadmeSettingsTests
{
    [Fact]
    public void Every_setting_has_a_row_in_the_readme_with_its_default()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var rows = readme.Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        var defaults = new ExportStudioOptions();

        var missing = new List<string>();
        foreach (var (key, value) in Settings(defaults, prefix: ""))
        {
            var row = rows.FirstOrDefault(r => r.StartsWith($"| `{key}` |", StringComparison.Ordinal));
            var shown = value is bool flag ? (flag ? "true" : "false") : value?.ToString();
            if (row is null || !row.Contains($"`{shown}`", StringComparison.Ordinal))
            {
                missing.Add($"{key} (default {shown})");
            }
        }

        Assert.True(missing.Count == 0, $"Not in README.md's settings table with their defaults: {string.Join(", ", missing)}");
    }

    private static IEnumerable<(string Key, object? Value)> Settings(object options, string prefix)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var value = property.GetValue(options);
            if (property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                foreach (var nested in Settings(value!, $"{prefix}{property.Name}:"))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return ($"{prefix}{property.Name}", value);
            }
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExportStudio.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new DirectoryNotFoundException("No ExportStudio.sln above the test's folder.");
    }
}
