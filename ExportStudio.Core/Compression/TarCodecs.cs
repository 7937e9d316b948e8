using System.Text;
using ICSharpCode.SharpZipLib.Tar;

namespace ExportStudio.Core.Compression;

/// <summary>
/// tar, tar.gz and tar.zst: every entry is spooled to a temporary file first (a tar header needs the size
/// before the content), then framed by SharpZipLib's tar writer into the compressor. Spool files are deleted
/// when closed, whatever happens.
/// </summary>
internal abstract class TarCodec : ICompressionCodec
{
    private const int CopyBufferSize = 1 << 20;
    private static readonly int FileMode0644 = Convert.ToInt32("644", 8);

    public abstract CompressionFormat Format { get; }

    /// <summary>The compression layer under the tar framing, how to complete it, and what to dispose (which abandons it when not completed).</summary>
    protected abstract (Stream Compressor, Func<CancellationToken, Task> Complete, IAsyncDisposable Owner) OpenCompressor(Stream destination, int? level, CompressionContext context);

    public async Task WriteAsync(Stream destination, IReadOnlyList<ExportEntry> entries, int? level, CompressionContext context, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            throw new ArgumentException("A tar archive needs at least one entry.", nameof(entries));
        }

        var spools = new List<(ExportEntry Entry, FileStream File)>(entries.Count);
        try
        {
            foreach (var entry in entries)
            {
                var file = CreateSpoolFile(context.TempDirectory);
                spools.Add((entry, file));
                await using (var content = new CountingStream(file, context.Counters.AddIn))
                {
                    await entry.WriteContentAsync(content, cancellationToken);
                }
                await file.FlushAsync(cancellationToken);
            }

            context.Counters.StartCompressing(spools.Sum(s => s.File.Length));
            var (compressor, complete, owner) = OpenCompressor(destination, level, context);
            await using (owner)
            {
                await WriteArchiveAsync(compressor, spools, context, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                await complete(cancellationToken);
            }
            await destination.FlushAsync(cancellationToken);
        }
        finally
        {
            foreach (var (_, file) in spools)
            {
                await file.DisposeAsync();
            }
        }
    }

    private static async Task WriteArchiveAsync(Stream compressor, List<(ExportEntry Entry, FileStream File)> spools, CompressionContext context, CancellationToken cancellationToken)
    {
        await using var tar = new TarOutputStream(compressor, Encoding.UTF8) { IsStreamOwner = false };
        var buffer = new byte[CopyBufferSize];
        foreach (var (entry, file) in spools)
        {
            var header = TarEntry.CreateTarEntry(entry.Name);
            header.Size = file.Length;
            header.ModTime = context.ModifiedUtc;
            header.TarHeader.Mode = FileMode0644;
            header.TarHeader.TypeFlag = TarHeader.LF_NORMAL;
            await tar.PutNextEntryAsync(header, cancellationToken);

            file.Position = 0;
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await tar.WriteAsync(buffer, 0, read, cancellationToken);
                context.Counters.AddCompressedInput(read);
            }
            await tar.CloseEntryAsync(cancellationToken);
        }
        await tar.FinishAsync(cancellationToken);
    }

    private static FileStream CreateSpoolFile(string directory) => new(
        Path.Combine(directory, $"exportstudio-spool-{Guid.NewGuid():N}.tmp"),
        new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
            BufferSize = 1 << 16,
        });
}

internal sealed class PlainTarCodec : TarCodec
{
    public override CompressionFormat Format => CompressionFormat.Tar;

    protected override (Stream Compressor, Func<CancellationToken, Task> Complete, IAsyncDisposable Owner) OpenCompressor(Stream destination, int? level, CompressionContext context)
    {
        var passThrough = new NonClosingStream(destination);
        return (passThrough, _ => Task.CompletedTask, passThrough);
    }
}

internal sealed class TarGzCodec : TarCodec
{
    public override CompressionFormat Format => CompressionFormat.TarGz;

    protected override (Stream Compressor, Func<CancellationToken, Task> Complete, IAsyncDisposable Owner) OpenCompressor(Stream destination, int? level, CompressionContext context)
    {
        var gzip = new ParallelGzipStream(destination, level!.Value, context.Workers);
        return (gzip, gzip.FinishAsync, gzip);
    }
}

internal sealed class TarZstCodec : TarCodec
{
    public override CompressionFormat Format => CompressionFormat.TarZst;

    protected override (Stream Compressor, Func<CancellationToken, Task> Complete, IAsyncDisposable Owner) OpenCompressor(Stream destination, int? level, CompressionContext context)
    {
        var frame = ZstdFrame.Open(destination, level!.Value, context.Workers);
        return (frame.Content, frame.CompleteAsync, frame);
    }
}

/// <summary>Passes writes through but leaves the destination open when disposed.</summary>
internal sealed class NonClosingStream(Stream inner) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
