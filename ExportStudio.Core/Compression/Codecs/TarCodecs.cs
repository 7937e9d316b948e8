using System.Text;
using ICSharpCode.SharpZipLib.Tar;
using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Compression.Codecs;

/// <summary>
/// tar, tar.gz and tar.zst: every entry is spooled to a temporary file first (a tar header needs the size
/// before the content), then framed by SharpZipLib's tar writer into the compressor. Spool files are deleted
/// when closed, whatever happens.
/// </summary>
internal abstract class TarCodec : ICompressionCodec
{
    public abstract CompressionFormat Format { get; }

    /// <summary>The compression layer under the tar framing, how to complete it, and what to dispose (which abandons it when not completed).</summary>
    internal abstract (Stream Compressor, Func<CancellationToken, Task> Complete, IAsyncDisposable Owner) OpenCompressor(Stream destination, int? level, CompressionContext context);

    public CodecWriter Open(Stream destination, int? level, CompressionContext context) => new TarWriter(this, destination, level, context);

    private sealed class TarWriter(TarCodec codec, Stream destination, int? level, CompressionContext context) : CodecWriter
    {
        private const int CopyBufferSize = 1 << 20;
        private static readonly int FileMode0644 = Convert.ToInt32("644", 8);
        private readonly List<(string Name, FileStream File, Stream Content)> _spools = [];

        public override async ValueTask<Stream> OpenEntryAsync(string name, CancellationToken cancellationToken)
        {
            await FlushLastAsync(cancellationToken);
            var file = CreateSpoolFile(context.TempDirectory);
            var content = new CountingWriteStream(file, context.Counters.AddIn);
            _spools.Add((name, file, content));
            return content;
        }

        public override async Task CompleteAsync(CancellationToken cancellationToken)
        {
            if (_spools.Count == 0)
            {
                throw new ArgumentException("A tar archive needs at least one entry.");
            }
            await FlushLastAsync(cancellationToken);
            context.Counters.StartCompressing(_spools.Sum(s => s.File.Length));
            var (compressor, complete, owner) = codec.OpenCompressor(destination, level, context);
            await using (owner)
            {
                await WriteArchiveAsync(compressor, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                await complete(cancellationToken);
            }
            await destination.FlushAsync(cancellationToken);
        }

        private async Task FlushLastAsync(CancellationToken cancellationToken)
        {
            if (_spools.Count > 0)
            {
                await _spools[^1].File.FlushAsync(cancellationToken);
            }
        }

        private async Task WriteArchiveAsync(Stream compressor, CancellationToken cancellationToken)
        {
            await using var tar = new TarOutputStream(compressor, Encoding.UTF8) { IsStreamOwner = false };
            var buffer = new byte[CopyBufferSize];
            foreach (var (name, file, _) in _spools)
            {
                var header = TarEntry.CreateTarEntry(name);
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

        public override async ValueTask DisposeAsync()
        {
            foreach (var (_, file, content) in _spools)
            {
                await content.DisposeAsync();
                await file.DisposeAsync();
            }
            _spools.Clear();
        }

        private static FileStream CreateSpoolFile(string directory) => SpoolFiles.Create(directory);
    }
}

/// <summary>The temporary files archives are spooled to: the app's own name, gone when closed, whatever happens.</summary>
internal static class SpoolFiles
{
    public static FileStream Create(string directory) => new(
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

    internal override (Stream Compressor, Func<CancellationToken, Task> Complete, IAsyncDisposable Owner) OpenCompressor(Stream destination, int? level, CompressionContext context)
    {
        var passThrough = new NonClosingStream(destination);
        return (passThrough, _ => Task.CompletedTask, passThrough);
    }
}

internal sealed class TarGzCodec : TarCodec
{
    public override CompressionFormat Format => CompressionFormat.TarGz;

    internal override (Stream Compressor, Func<CancellationToken, Task> Complete, IAsyncDisposable Owner) OpenCompressor(Stream destination, int? level, CompressionContext context)
    {
        var gzip = new ParallelGzipStream(destination, level!.Value, context.GzipWorkers);
        return (gzip, gzip.FinishAsync, gzip);
    }
}

internal sealed class TarZstCodec : TarCodec
{
    public override CompressionFormat Format => CompressionFormat.TarZst;

    internal override (Stream Compressor, Func<CancellationToken, Task> Complete, IAsyncDisposable Owner) OpenCompressor(Stream destination, int? level, CompressionContext context)
    {
        var frame = ZstdFrame.Open(destination, level!.Value, context.ZstdWorkers);
        return (frame.Content, frame.CompleteAsync, frame);
    }
}
