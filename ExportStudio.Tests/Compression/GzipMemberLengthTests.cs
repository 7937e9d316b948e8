using System.Buffers.Binary;
using System.IO.Compression;

namespace ExportStudio.Tests.Compression;

/// <summary>
/// tar.gz members carry their own length in a gzip extra subfield ('E','S', LEN 4, uint32 LE), so a reader can
/// split them without inflating; the file stays plain gzip for the standard tools.
/// </summary>
public sealed class GzipMemberLengthTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly CompressionService _service = new(zstdWorkers: 2, gzipWorkers: 2);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5 << 20)]
    public async Task Every_member_records_its_length_and_inflates_on_its_own(int size)
    {
        var input = SampleData.MixedSessions(size);
        var path = _directory.Combine($"members-{size}.tar.gz");
        await using (var file = File.Create(path))
        {
            await _service.CompressAsync(file, CompressionFormat.TarGz, 6, [new CompressionSource("export_1.json", new MemoryStream(input, writable: false))], DateTime.UtcNow);
        }
        var bytes = await File.ReadAllBytesAsync(path);

        // Walk the file by the recorded lengths alone: they tile it exactly.
        var members = new List<byte[]>();
        for (var offset = 0; offset < bytes.Length;)
        {
            var length = RecordedLength(bytes.AsSpan(offset));
            Assert.True(length > 18 && offset + length <= bytes.Length, $"member at {offset}: length {length} of {bytes.Length - offset} left");
            members.Add(bytes[offset..(offset + length)]);
            offset += length;
        }
        // A tar of 2 MiB blocks: one member per block, each a complete gzip stream by itself.
        var tar = new MemoryStream();
        foreach (var member in members)
        {
            await using var gzip = new GZipStream(new MemoryStream(member), CompressionMode.Decompress);
            var inflated = new MemoryStream();
            await gzip.CopyToAsync(inflated);
            Assert.InRange(inflated.Length, 1, 2 << 20);
            tar.Write(inflated.ToArray());
        }
        Assert.Equal((tar.Length + (2 << 20) - 1) / (2 << 20), members.Count);

        // The standard tools read it as they always did.
        await ExternalTool.RunAsync("gzip", ["-t", path]);
        var output = Directory.CreateDirectory(_directory.Combine($"x-{size}")).FullName;
        await ExternalTool.RunAsync("tar", ["-xzf", path, "-C", output]);
        Assert.Equal(input, await File.ReadAllBytesAsync(Path.Combine(output, "export_1.json")));
    }

    /// <summary>Reads the header by RFC 1952: FLG.FEXTRA set, XLEN, then subfields of SI1 SI2 LEN data.</summary>
    private static int RecordedLength(ReadOnlySpan<byte> member)
    {
        Assert.True(member[0] == 0x1F && member[1] == 0x8B && member[2] == 8, "gzip magic and deflate");
        Assert.Equal(0x04, member[3]); // FEXTRA only: no name, comment or header CRC
        var extra = member.Slice(12, BinaryPrimitives.ReadUInt16LittleEndian(member[10..]));
        Assert.Equal(8, extra.Length);
        Assert.Equal("ES"u8.ToArray(), extra[..2].ToArray());
        Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]));
        return checked((int)BinaryPrimitives.ReadUInt32LittleEndian(extra[4..]));
    }

    public void Dispose() => _directory.Dispose();
}
