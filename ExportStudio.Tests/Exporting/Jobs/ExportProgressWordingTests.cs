namespace ExportStudio.Tests.Exporting.Jobs;

/// <summary>What the progress of a run says: sessions of the real selection, and no "0 B written" while an archive spools.</summary>
public sealed class ExportProgressWordingTests
{
    private static readonly SessionSelection Selection = new(Enumerable.Range(0, 59_777).Select(_ => Guid.NewGuid()).ToList(), 400_000);

    [Fact]
    public void A_bundle_counts_the_sessions_of_its_selection_once_naming_the_format_being_written()
    {
        var progress = new ExportRunProgress(Job([ExportFormat.Json, ExportFormat.Csv, ExportFormat.JsonLines, ExportFormat.Markdown], CompressionFormat.TarGz));

        progress.Report(new ExportPipelineProgress(ExportStage.Exporting, Selection, SessionsWritten: 117_622, new CompressionCounters()));
        var snapshot = progress.Snapshot();

        Assert.Equal("Writing CSV (format 2 of 4): 57,845 of 59,777 sessions", snapshot.Message);
        Assert.Equal((59_777, 57_845), (snapshot.SessionsSelected, snapshot.SessionsDone));
    }

    [Fact]
    public void A_single_format_counts_its_sessions_as_they_are()
    {
        var progress = new ExportRunProgress(Job([ExportFormat.Json], CompressionFormat.Zstd));

        progress.Report(new ExportPipelineProgress(ExportStage.Exporting, Selection, SessionsWritten: 12_000, new CompressionCounters()));

        Assert.Equal("Writing JSON: 12,000 of 59,777 sessions", progress.Snapshot().Message);
        Assert.False(progress.Snapshot().BytesOutPending);
    }

    [Theory]
    [InlineData(CompressionFormat.TarGz, true)]
    [InlineData(CompressionFormat.TarZst, true)]
    [InlineData(CompressionFormat.Tar, true)]
    [InlineData(CompressionFormat.Zstd, false)]
    [InlineData(CompressionFormat.None, false)]
    public void Archives_say_their_stored_bytes_come_later_while_they_spool(CompressionFormat compression, bool pending)
    {
        var progress = new ExportRunProgress(Job([ExportFormat.Json], compression));

        progress.Report(new ExportPipelineProgress(ExportStage.Exporting, Selection, SessionsWritten: 10, new CompressionCounters()));

        Assert.Equal(pending, progress.Snapshot().BytesOutPending);
    }

    [Fact]
    public void A_per_session_run_says_it_trains_then_counts_sessions_once_whatever_the_formats()
    {
        var job = Job([ExportFormat.Json, ExportFormat.Markdown], CompressionFormat.Zstd);
        job.Options = job.Options with { Layout = ArchiveLayout.PerSession, Dictionary = true };
        var progress = new ExportRunProgress(job);

        progress.Report(new ExportPipelineProgress(ExportStage.Training, Selection, SessionsWritten: 0, new CompressionCounters()));
        var training = progress.Snapshot();
        progress.Report(new ExportPipelineProgress(ExportStage.Exporting, Selection, SessionsWritten: 2_001, new CompressionCounters()));
        var writing = progress.Snapshot();

        Assert.Equal("training", training.Stage.ToWireName());
        Assert.Equal("Training the compression dictionary on a sample of the 59,777 sessions…", training.Message);
        Assert.Equal("Writing each session on its own (JSON, Markdown): 1,000 of 59,777 sessions", writing.Message);
        Assert.True(writing.BytesOutPending);
        Assert.True(writing.Percent > training.Percent);
    }

    private static ExportJob Job(List<ExportFormat> formats, CompressionFormat compression) =>
        new() { Id = Guid.NewGuid(), Status = ExportJobStatus.Running, Formats = formats, Options = new ExportOptions { CompressionFormat = compression } };
}
