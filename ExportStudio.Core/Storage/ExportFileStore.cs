using System.Buffers;
using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Storage;

/// <summary>
/// The one place export files are written, read and deleted. Names are made by the product from job ids,
/// never taken from a request, and are checked again here so no path can leave the export directory.
/// Files are written as <c>{name}.{attempt}.partial</c> (two claims of one job never share a file) and
/// renamed atomically when complete, so a listed file is always whole. Housekeeping only ever sees the
/// app's own names: a file someone else put in the directory is never listed or deleted. (An
/// object-storage implementation would keep this shape.)
/// </summary>
public sealed class ExportFileStore
{
    public const string PartialSuffix = ".partial";
    private static readonly SearchValues<char> AllowedNameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    public ExportFileStore(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Opens the partial file of one attempt at <paramref name="fileName"/>; a leftover of the same attempt is replaced.</summary>
    public FileStream CreatePartial(string fileName, int attempt) =>
        new(PartialPathOf(fileName, attempt), new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0, // the compressors already write large blocks; a second buffer only copies
        });

    /// <summary>Flushes the partial file to disk and renames it to its final name in one step.</summary>
    public async Task CommitAsync(FileStream partial, string fileName, int attempt, CancellationToken cancellationToken = default)
    {
        await partial.FlushAsync(cancellationToken);
        partial.Flush(flushToDisk: true);
        await partial.DisposeAsync();
        File.Move(PartialPathOf(fileName, attempt), PathOf(fileName), overwrite: true);
    }

    public void DeletePartial(string fileName, int attempt) => DeleteIfExists(PartialPathOf(fileName, attempt));

    /// <summary>Removes every partial file of <paramref name="fileName"/>, whatever attempt wrote it.</summary>
    public void DeletePartials(string fileName)
    {
        foreach (var partial in ListPartials().Where(p => p.FileName == fileName))
        {
            DeleteIfExists(partial.Path);
        }
    }

    public void Delete(string fileName)
    {
        _verified.TryRemove(fileName, out _);
        DeleteIfExists(PathOf(fileName));
    }

    public FileInfo GetInfo(string fileName) => new(PathOf(fileName));

    /// <summary>Opens a finished file for reading; it may be deleted while read (the reader keeps its bytes).</summary>
    public FileStream OpenRead(string fileName) =>
        new(PathOf(fileName), new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });

    /// <summary>
    /// True when the file's SHA-256 still equals <paramref name="expectedSha256"/>. A file verified once is
    /// not hashed again until its size or modification time changes, so range requests stay cheap.
    /// </summary>
    public async Task<bool> VerifyAsync(string fileName, string expectedSha256, CancellationToken cancellationToken = default)
    {
        var info = GetInfo(fileName);
        if (!info.Exists)
        {
            return false;
        }
        var stamp = (info.Length, info.LastWriteTimeUtc.Ticks, expectedSha256);
        if (_verified.TryGetValue(fileName, out var known) && known == stamp)
        {
            return true;
        }

        await using var stream = OpenRead(fileName);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = LargeBuffers.Pool.Rent(1 << 20);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            LargeBuffers.Pool.Return(buffer);
        }
        var matches = string.Equals(Convert.ToHexStringLower(sha.GetHashAndReset()), expectedSha256, StringComparison.OrdinalIgnoreCase);
        if (matches)
        {
            _verified[fileName] = stamp;
        }
        else
        {
            _verified.TryRemove(fileName, out _);
        }
        return matches;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Length, long Ticks, string Sha)> _verified = new();

    /// <summary>The partial files in the store that the app wrote: the file each is for and the attempt that wrote it.</summary>
    public IEnumerable<PartialFile> ListPartials()
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + PartialSuffix))
        {
            if (ExportFileNames.TryParsePartial(Path.GetFileName(path), out var fileName, out var attempt))
            {
                yield return new PartialFile(fileName, attempt, path);
            }
        }
    }

    /// <summary>Finished files in the store with the app's own names (for housekeeping of files whose job is gone).</summary>
    public IEnumerable<FileInfo> EnumerateFiles() =>
        new DirectoryInfo(Directory).EnumerateFiles().Where(f => ExportFileNames.IsExportFile(f.Name));

    public void DeletePartialFile(PartialFile partial) => DeleteIfExists(partial.Path);

    private string PartialPathOf(string fileName, int attempt) => $"{PathOf(fileName)}.{attempt}{PartialSuffix}";

    private string PathOf(string fileName)
    {
        if (string.IsNullOrEmpty(fileName) || fileName.Length > 200 || fileName.AsSpan().ContainsAnyExcept(AllowedNameChars) || fileName.StartsWith('.'))
        {
            throw new ArgumentException($"'{fileName}' is not a valid export file name.", nameof(fileName));
        }
        return Path.Combine(Directory, fileName);
    }

    private static void DeleteIfExists(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing to delete.
        }
    }
}

/// <summary>A partial file of the store: the finished name it is for, and the attempt (claim) that writes it; null for a partial of an older version.</summary>
public sealed record PartialFile(string FileName, int? Attempt, string Path);
