using ExportStudio.Core.Exporting.Jobs;

namespace ExportStudio.Web.Components.Viewer;

/// <summary>Where a job is viewed, and what the viewer needs to know to read its file.</summary>
public static class ViewerLinks
{
    /// <summary>
    /// The viewer's page for a completed job with a JSON or JSON Lines document (alone or in a bundle), the
    /// formats it can list; null for any other job.
    /// </summary>
    public static string? For(ExportJob job) =>
        job.Downloads is not null && job.Formats.Any(f => f is ExportFormat.Json or ExportFormat.JsonLines) ? $"/view/{job.Id}" : null;

    /// <summary>The stored file, as stored: the browser undoes the compression itself.</summary>
    public static string StoredFile(ExportJob job) => $"/api/v1/export/{job.Id}/download";

    /// <summary>
    /// True for a per-session zstd archive (a plain tar of a zstd frame per session): the viewer then reads its
    /// manifest and each session's frame with Range requests instead of fetching the whole file.
    /// </summary>
    public static bool Framed(ExportJob job) => job.Downloads?.DecompressesEntries == true;

    /// <summary>The name of the document inside a single-format file (a bundle's tar names its own entries).</summary>
    public static string DocumentName(ExportJob job) => ExportFiles.EntryName(job.Id, job.PrimaryFormat);
}
