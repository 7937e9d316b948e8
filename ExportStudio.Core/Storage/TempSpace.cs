using System.Text.RegularExpressions;

namespace ExportStudio.Core.Storage;

/// <summary>
/// The app's own scratch space: one folder per running instance under the configured temporary directory,
/// held by a lock file for as long as the instance lives. A folder whose lock can be taken belongs to an
/// instance that is gone (a crash, a kill), so it is removed at start; a live instance's folder is never
/// touched. Nothing outside folders of this shape is ever deleted.
/// </summary>
public sealed partial class TempSpace : IDisposable
{
    private const string LockFileName = ".lock";
    private readonly FileStream _lock;

    public TempSpace(string root, string instanceId)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        RemovedAtStart = RemoveDeadInstances();
        InstanceDirectory = Path.Combine(Root, FolderName(instanceId));
        Directory.CreateDirectory(InstanceDirectory);
        // FileShare.None takes an exclusive lock on Unix too: another process cannot open it while this one lives.
        _lock = new FileStream(Path.Combine(InstanceDirectory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
    }

    /// <summary>The configured temporary directory.</summary>
    public string Root { get; }

    /// <summary>This instance's folder: everything it spools goes here.</summary>
    public string InstanceDirectory { get; }

    /// <summary>How many folders of dead instances were removed when this one started.</summary>
    public int RemovedAtStart { get; }

    /// <summary>A path for a new temporary file of this instance, e.g. <c>import-….tmp</c>.</summary>
    public string NewFilePath(string purpose, string extension = ".tmp") => Path.Combine(InstanceDirectory, $"{purpose}-{Guid.NewGuid():N}{extension}");

    /// <summary>True when an I/O error names a file in this space (.NET puts the path in the message).</summary>
    public bool Concerns(IOException exception) => exception.Message.Contains(Root, StringComparison.Ordinal);

    private int RemoveDeadInstances()
    {
        var removed = 0;
        foreach (var directory in Directory.EnumerateDirectories(Root))
        {
            if (!InstanceFolder().IsMatch(Path.GetFileName(directory)) || IsHeld(directory))
            {
                continue;
            }
            try
            {
                Directory.Delete(directory, recursive: true);
                removed++;
            }
            catch (IOException)
            {
                // Taken by an instance starting right now, or already gone: either way not ours to remove.
            }
        }
        return removed;
    }

    private static bool IsHeld(string directory)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(directory, LockFileName), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static string FolderName(string instanceId) => "instance-" + SafeName().Replace(instanceId, "-");

    [GeneratedRegex("^instance-[A-Za-z0-9._-]+$")]
    private static partial Regex InstanceFolder();

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex SafeName();

    public void Dispose()
    {
        _lock.Dispose();
        try
        {
            Directory.Delete(InstanceDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open in a finishing task; the next start removes the folder.
        }
    }
}
