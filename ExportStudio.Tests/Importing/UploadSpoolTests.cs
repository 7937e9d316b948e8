using System.Text;

namespace ExportStudio.Tests.Importing;

public sealed class UploadSpoolTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task The_reader_waits_for_what_has_not_arrived_and_ends_where_the_completed_upload_ends()
    {
        using var spool = UploadSpool.Create(_directory.Combine("upload"));
        await using var reader = spool.OpenReader();
        Assert.False(reader.CanSeek);

        await spool.Writer.WriteAsync("first "u8.ToArray());
        var buffer = new byte[64];
        Assert.Equal("first ", Encoding.UTF8.GetString(buffer, 0, await reader.ReadAsync(buffer)));

        var waiting = reader.ReadAsync(buffer).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        await spool.Writer.WriteAsync("second"u8.ToArray());
        Assert.Equal("second", Encoding.UTF8.GetString(buffer, 0, await waiting.WaitAsync(TimeSpan.FromSeconds(10))));

        var end = reader.ReadAsync(buffer).AsTask();
        await Task.Delay(50);
        Assert.False(end.IsCompleted);
        spool.Complete();
        Assert.Equal(0, await end.WaitAsync(TimeSpan.FromSeconds(10)));

        // Whole now: it can be read again from anywhere, as a zip is.
        Assert.True(reader.CanSeek);
        Assert.Equal(12, reader.Length);
        reader.Position = 6;
        Assert.Equal("second", Encoding.UTF8.GetString(buffer, 0, reader.Read(buffer)));
        await UploadSpool.WhenWholeAsync(reader, CancellationToken.None);
    }

    [Fact]
    public async Task A_failed_upload_fails_every_read_and_the_wait_for_the_whole_upload()
    {
        using var spool = UploadSpool.Create(_directory.Combine("upload"));
        await using var reader = spool.OpenReader();
        await spool.Writer.WriteAsync("part of a file"u8.ToArray());
        var waitingForWhole = UploadSpool.WhenWholeAsync(reader, CancellationToken.None);

        spool.Fail(new InvalidDataException("The body ended early."));

        var read = await Assert.ThrowsAsync<UploadIncompleteException>(async () => await reader.ReadAsync(new byte[64]));
        Assert.Contains("The body ended early.", read.Message);
        Assert.IsType<InvalidDataException>(read.InnerException);
        await Assert.ThrowsAsync<UploadIncompleteException>(() => waitingForWhole.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(reader.CanSeek);
    }

    [Fact]
    public async Task After_its_import_failed_the_rest_of_the_upload_is_received_without_being_kept()
    {
        var path = _directory.Combine("upload");
        using var spool = UploadSpool.Create(path);
        await spool.Writer.WriteAsync(new byte[1000]);

        spool.DiscardRest();
        await spool.Writer.WriteAsync(new byte[50_000]);
        spool.Complete();

        Assert.Equal(1000, spool.Length);
        Assert.Equal(1000, new FileInfo(path).Length);
    }

    [Fact]
    public void The_spool_file_is_gone_once_the_spool_is_disposed()
    {
        var path = _directory.Combine("upload");
        var spool = UploadSpool.Create(path);
        Assert.True(File.Exists(path));

        spool.Dispose();

        Assert.False(File.Exists(path));
    }

    public void Dispose() => _directory.Dispose();
}
