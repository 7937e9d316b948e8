namespace ExportStudio.Core.Configuration;

/// <summary>
/// This running process among the instances that may share one database and one export directory: its
/// id names the owner of job leases and of its scratch folder. Unique per process start.
/// </summary>
public sealed class AppInstance
{
    // The column holding it takes 100 characters; a long machine name is cut, the unique part kept.
    public string Id { get; } = $"{Truncate(Environment.MachineName, 40)}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
