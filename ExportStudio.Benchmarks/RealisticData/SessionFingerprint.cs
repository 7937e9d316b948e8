using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ExportStudio.Benchmarks.RealisticData;

/// <summary>
/// A SHA-256 over every field of a run of sessions (strings length-prefixed, times as ticks): two runs made
/// the same sessions exactly when their fingerprints match, whatever database or file they went to.
/// </summary>
internal sealed class SessionFingerprint : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = new byte[4096];

    public void Add(ChatSession session)
    {
        Add(session.Id);
        Add(session.Title);
        Add(session.CreatedAt.Ticks);
        Add(session.UpdatedAt.Ticks);
        Add(session.Model);
        Add(session.Tags.Count);
        foreach (var tag in session.Tags) Add(tag);
        Add(session.MetadataJson);
        Add(session.Messages.Count);
        foreach (var message in session.Messages)
        {
            Add(message.Id);
            Add(message.SessionId);
            Add((int)message.Role);
            Add(message.Content);
            Add(message.CreatedAt.Ticks);
            Add(message.Order);
            Add(message.ToolCalls.Count);
            foreach (var call in message.ToolCalls)
            {
                Add(call.Id);
                Add(call.MessageId);
                Add(call.Order);
                Add(call.Name);
                Add(call.ArgumentsJson);
                // -1 tells a missing result from an empty one.
                if (call.ResultJson is null) Add(-1);
                else Add(call.ResultJson);
            }
        }
    }

    /// <summary>The hash so far, as lower-case hex; adding more sessions afterwards continues from it.</summary>
    public string Current() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public void Dispose() => _hash.Dispose();

    private void Add(string text)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (needed > _buffer.Length) _buffer = new byte[Math.Max(needed, _buffer.Length * 2)];
        var length = Encoding.UTF8.GetBytes(text, _buffer);
        Add(length);
        _hash.AppendData(_buffer, 0, length);
    }

    private void Add(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        _hash.AppendData(bytes);
    }

    private void Add(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _hash.AppendData(bytes);
    }
}
