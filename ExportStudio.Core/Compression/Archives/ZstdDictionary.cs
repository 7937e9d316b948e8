using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ExportStudio.Core.Compression.Archives;

/// <summary>
/// A zstd dictionary as the format defines it (magic, id, entropy tables, content): what every frame of a
/// per-session archive was compressed with, stored beside them as <c>dictionary.zdict</c> so that
/// <c>zstd -D dictionary.zdict -d</c> opens any frame.
/// </summary>
public sealed class ZstdDictionary
{
    public const string EntryName = "dictionary.zdict";
    private const uint Magic = 0xEC30A437;

    private ZstdDictionary(byte[] content, uint id, int trainedOnSessions, long trainedOnBytes)
    {
        Content = content;
        Id = id;
        TrainedOnSessions = trainedOnSessions;
        TrainedOnBytes = trainedOnBytes;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
    }

    public byte[] Content { get; }

    /// <summary>The id every frame compressed with this dictionary names in its header.</summary>
    public uint Id { get; }

    public int TrainedOnSessions { get; }
    public long TrainedOnBytes { get; }
    public string Sha256 { get; }

    /// <summary>True when <paramref name="head"/> starts a zstd dictionary.</summary>
    public static bool IsDictionary(ReadOnlySpan<byte> head) => head.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(head) == Magic;

    /// <summary>A dictionary read back from its bytes (an archive's <c>dictionary.zdict</c>).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a zstd dictionary.</exception>
    public static ZstdDictionary Load(byte[] content, int trainedOnSessions = 0) => IsDictionary(content)
        ? new ZstdDictionary(content, BinaryPrimitives.ReadUInt32LittleEndian(content.AsSpan(4)), trainedOnSessions, 0)
        : throw new InvalidDataException($"{EntryName} is not a zstd dictionary (its first bytes are not the dictionary magic number).");

    internal static ZstdDictionary Trained(byte[] content, int sessions, long bytes) =>
        new(content, BinaryPrimitives.ReadUInt32LittleEndian(content.AsSpan(4)), sessions, bytes);

    /// <summary>
    /// The dictionary id a zstd frame's header names: 0 when it names none, null when the bytes do not start
    /// a zstd frame. Read from the header itself, so a frame can be matched to its dictionary before decoding.
    /// </summary>
    public static uint? FrameDictionaryId(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 6 || !frame.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            return null;
        }
        var descriptor = frame[4];
        var singleSegment = (descriptor & 0x20) != 0;
        var at = 5 + (singleSegment ? 0 : 1);
        var idSize = (descriptor & 3) switch { 0 => 0, 1 => 1, 2 => 2, _ => 4 };
        if (frame.Length < at + idSize)
        {
            return null;
        }
        var idField = frame.Slice(at, idSize);
        return idSize switch
        {
            0 => 0,
            1 => idField[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(idField),
            _ => BinaryPrimitives.ReadUInt32LittleEndian(idField),
        };
    }

    public SessionArchiveDictionary Describe(long offset) => new(Id, EntryName, offset, Content.Length, Sha256, TrainedOnSessions, TrainedOnBytes);
}
