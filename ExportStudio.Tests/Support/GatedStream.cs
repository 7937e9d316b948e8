namespace ExportStudio.Tests.Support;

/// <summary>
/// Hands out its bytes up to a point, then waits for the test to open the gate before the rest: a slow
/// upload, or a reader held mid-file while the test looks at what the app does meanwhile.
/// </summary>
public sealed class GatedStream(byte[] data, int gateAt) : Stream
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _reachedGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;

    /// <summary>Completes when the reader has read everything before the gate.</summary>
    public Task ReachedGate => _reachedGate.Task;

    public void Open() => _gate.TrySetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => data.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= gateAt)
        {
            _reachedGate.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
        }
        var end = _position < gateAt ? gateAt : data.Length;
        var count = Math.Min(buffer.Length, end - _position);
        data.AsSpan(_position, count).CopyTo(buffer.Span);
        _position += count;
        return count;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
