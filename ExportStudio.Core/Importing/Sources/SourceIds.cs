using System.Security.Cryptography;
using System.Text;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// The ids imported sessions and messages get, stable from one import of a file to the next so that a
/// re-import finds what it brought before: a source id that is a GUID is kept, any other id becomes a
/// name-based UUID (version 5, SHA-1) of <c>"&lt;source&gt;:&lt;id&gt;"</c>, and a conversation without
/// any id is named by a hash of its content.
/// </summary>
public static class SourceIds
{
    /// <summary>ExportStudio's own namespace for name-based ids; changing it would change every imported id.</summary>
    public static readonly Guid Namespace = new("5f0c3a8e-7d14-4b6a-9e21-3c8d5b7a1f40");

    /// <summary>The id of a conversation (or message) whose source calls it <paramref name="sourceId"/>.</summary>
    public static Guid For(string source, string sourceId) =>
        Guid.TryParse(sourceId, out var kept) && kept != Guid.Empty ? kept : NameBased($"{source}:{sourceId}");

    /// <summary>A message's id: its own when it is a GUID, else named within its conversation (by its id, or its place).</summary>
    public static Guid ForMessage(string source, string conversationKey, string messageKey) =>
        Guid.TryParse(messageKey, out var kept) && kept != Guid.Empty ? kept : NameBased($"{source}:{conversationKey}:{messageKey}");

    /// <summary>A version-5 UUID of <paramref name="name"/> in <see cref="Namespace"/>.</summary>
    public static Guid NameBased(string name)
    {
        Span<byte> space = stackalloc byte[16];
        Namespace.TryWriteBytes(space, bigEndian: true, out _);
        var bytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + bytes.Length];
        space.CopyTo(input);
        bytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>A short, stable name for content: the hex of its SHA-256, cut to 32 characters (128 bits).</summary>
    public static string ContentKey(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content))[..32];
}
