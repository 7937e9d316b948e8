namespace ExportStudio.Core.Importing;

/// <summary>
/// What an import does with what the database already holds. <see cref="Merge"/> adds and updates only;
/// <see cref="Replicate"/> also deletes the sessions an incremental export lists as deleted, so replaying a
/// schedule's runs in order makes a copy of the source.
/// </summary>
public enum ImportMode
{
    Merge,
    Replicate,
}

public static class ImportModeNames
{
    public const string Allowed = "merge (add new sessions, replace older versions) or replicate (the same, and delete the sessions an incremental export lists as deleted)";

    public static bool TryParse(string? text, out ImportMode mode)
    {
        mode = ImportMode.Merge;
        if (string.IsNullOrEmpty(text) || text.Equals("merge", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (text.Equals("replicate", StringComparison.OrdinalIgnoreCase))
        {
            mode = ImportMode.Replicate;
            return true;
        }
        return false;
    }
}
