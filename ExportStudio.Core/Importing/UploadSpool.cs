using Microsoft.Win32.SafeHandles;
using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Importing;

/// <summary>
/// The file an upload is written into while the import already reads it: the import starts with the
/// upload's first bytes instead of after its last (a 100 MB upload took a fifth of the import's time
/// to arrive, and the writing side waited for all of it). The reader waits where the upload has not reached
/// yet, ends where the completed upload ends, and fails when the upload fails; it can seek once the upload is
/// complete (a zip is read from its end: <see cref="WhenCompleteAsync"/>). The file is deleted when the spool is disposed.
/// </summary>
public sealed class UploadSpool : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly Lock _gate = new();
    private long _written;
    private bool _ended;
    private bool _discarding;
    private Exception? _failure;
    private TaskCompletionSource _arrived = NewSignal();
    private readonly TaskCompletionSource _whole = NewSignal();

    private UploadSpool(SafeFileHandle file) => _file = file;

    public static UploadSpool Create(string path) =>
        new(File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose));

    /// <summary>Where the upload is written, in order; <see cref="Complete"/> or <see cref="Fail"/> ends it.</summary>
    public Stream Writer => new SpoolWriter(this);

    /// <summary>The bytes written so far.</summary>
    public long Length
    {
        get
        {
            lock (_gate)
            {
                return _written;
            }
        }
    }

    /// <summary>The upload from its first byte, as it arrives.</summary>
    public Stream OpenReader() => new SpoolReader(this);

    /// <summary>
    /// Nobody reads the upload any more (its import failed): the rest is received and dropped rather than
    /// written, so that the client, still sending, reads the answer instead of a connection closed on it.
    /// </summary>
    public void DiscardRest()
    {
        lock (_gate)
        {
            _discarding = true;
        }
    }

    /// <summary>The upload is whole: readers end where it ends.</summary>
    public void Complete() => End(null);

    /// <summary>The upload will not be whole: readers fail with an <see cref="UploadIncompleteException"/> carrying <paramref name="failure"/>.</summary>
    public void Fail(Exception failure) => End(failure);

    /// <summary>Waits until the upload is complete (or throws what made it fail).</summary>
    public async Task WhenCompleteAsync(CancellationToken cancellationToken)
    {
        await _whole.Task.WaitAsync(cancellationToken);
        lock (_gate)
        {
            ThrowIfFailed();
        }
    }

    /// <summary>Where the next bytes go; false once the rest is discarded.</summary>
    private bool TryTakeOffset(out long at)
    {
        lock (_gate)
        {
            if (_ended)
            {
                throw new InvalidOperationException("The upload spool has ended; nothing more can be written to it.");
            }
            at = _written;
            return !_discarding;
        }
    }

    private void Appended(int length) => Signal(() => _written += length);

    private void End(Exception? failure)
    {
        Signal(() =>
        {
            _failure ??= failure;
            _ended = true;
        });
        _whole.TrySetResult();
    }

    private void Signal(Action change)
    {
        TaskCompletionSource arrived;
        lock (_gate)
        {
            change();
            arrived = _arrived;
            _arrived = NewSignal();
        }
        arrived.TrySetResult();
    }

    /// <summary>Reads at <paramref name="position"/> what the upload holds there, waiting for it to arrive; 0 at the end of a complete upload.</summary>
    private async ValueTask<int> ReadAtAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadAt(position, buffer.Span, out var read, out var arrived))
            {
                return read;
            }
            await arrived.WaitAsync(cancellationToken);
        }
    }

    private int ReadAt(long position, Span<byte> buffer)
    {
        while (true)
        {
            if (TryReadAt(position, buffer, out var read, out var arrived))
            {
                return read;
            }
            arrived.Wait();
        }
    }

    /// <summary>Reads what is there (false with the signal to wait for when the upload has not reached <paramref name="position"/> yet).</summary>
    private bool TryReadAt(long position, Span<byte> buffer, out int read, out Task arrived)
    {
        long written;
        lock (_gate)
        {
            ThrowIfFailed();
            arrived = _arrived.Task;
            written = _written;
            if (position >= written && !_ended && !buffer.IsEmpty)
            {
                read = 0;
                return false;
            }
        }
        // What lies below the written length never changes. Just written, it is in the page cache: a plain
        // read beats a hop to the thread pool.
        var available = (int)Math.Min(buffer.Length, Math.Max(0, written - position));
        read = available == 0 ? 0 : RandomAccess.Read(_file, buffer[..available], position);
        return true;
    }

    /// <summary>
    /// Waits until <paramref name="upload"/>, when it is a spool's reader, has arrived whole (throwing what made
    /// it fail); any other stream is whole already.
    /// </summary>
    public static Task WhenWholeAsync(Stream upload, CancellationToken cancellationToken) =>
        upload is SpoolReader reader ? reader.Spool.WhenCompleteAsync(cancellationToken) : Task.CompletedTask;

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new UploadIncompleteException(_failure);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        Fail(new ObjectDisposedException(nameof(UploadSpool)));
        _file.Dispose();
    }

    private sealed class SpoolWriter(UploadSpool spool) : WriteOnlyStream
    {
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (spool.TryTakeOffset(out var at))
            {
                RandomAccess.Write(spool._file, buffer, at);
                spool.Appended(buffer.Length);
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (spool.TryTakeOffset(out var at))
            {
                await RandomAccess.WriteAsync(spool._file, buffer, at, cancellationToken);
                spool.Appended(buffer.Length);
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class SpoolReader(UploadSpool spool) : ReadOnlyStream
    {
        private long _position;

        public UploadSpool Spool => spool;

        public override bool CanSeek
        {
            get
            {
                lock (spool._gate)
                {
                    return spool._ended && spool._failure is null;
                }
            }
        }

        public override long Length => CanSeek ? spool.Length : throw new NotSupportedException("The upload is still arriving: its length is not known yet.");

        public override long Position
        {
            get => _position;
            set => _position = CanSeek ? value : throw new NotSupportedException("The upload is still arriving: it can be read only in order.");
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };

        public override int Read(Span<byte> buffer)
        {
            var read = spool.ReadAt(_position, buffer);
            _position += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await spool.ReadAtAsync(_position, buffer, cancellationToken);
            _position += read;
            return read;
        }
    }
}

/// <summary>The upload an import was reading failed or was cut short before it was complete.</summary>
public sealed class UploadIncompleteException(Exception reason) : IOException($"The upload did not arrive whole: {reason.Message}", reason);
