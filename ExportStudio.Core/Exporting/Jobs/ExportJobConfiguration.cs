using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Exporting.Schedules;

namespace ExportStudio.Core.Exporting.Jobs;

internal sealed class ExportJobConfiguration : IEntityTypeConfiguration<ExportJob>
{
    public void Configure(EntityTypeBuilder<ExportJob> builder)
    {
        builder.ToTable("ExportJobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Status).HasConversion(s => s.ToWireName(), s => Enum.Parse<ExportJobStatus>(s, true)).HasMaxLength(16);
        builder.Property(j => j.Stage).HasConversion(s => s.ToWireName(), s => Enum.Parse<ExportStage>(s, true)).HasMaxLength(16);

        builder.MapRequest(j => j.Formats, j => j.Filters, j => j.Options);

        builder.Property(j => j.FileName).HasMaxLength(200);
        builder.Property(j => j.ContentType).HasMaxLength(100);
        builder.Property(j => j.Sha256).HasMaxLength(64);
        builder.Property(j => j.ClaimedBy).HasMaxLength(100);

        builder.Ignore(j => j.PrimaryFormat);
        builder.Ignore(j => j.CompressionFormat);
        builder.Ignore(j => j.Request);
        builder.Ignore(j => j.Downloads);
        builder.Ignore(j => j.UsedDictionary);

        // History is listed newest first; the worker looks up queued jobs by status.
        builder.HasIndex(j => j.CreatedAt);
        builder.HasIndex(j => j.Status);
        // Every instance's sweep looks for running jobs whose lease has passed.
        builder.HasIndex(j => new { j.Status, j.LeaseExpiresAt });

        // A schedule's runs: listed by schedule, and no slot of a schedule can get two runs, whichever
        // instance claims it. A schedule deleted without its runs leaves them in History, unlabelled.
        builder.HasOne<ExportSchedule>().WithMany().HasForeignKey(j => j.ScheduleId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(j => new { j.ScheduleId, j.ScheduledFor }).IsUnique();

        // A kept dictionary goes only once no job names it: its files need it to be read.
        builder.Property(j => j.FrameDictionaryId).HasConversion(id => (long?)id, id => (uint?)id);
        builder.HasOne<ScheduleDictionary>().WithMany().HasForeignKey(j => j.KeptDictionaryId).OnDelete(DeleteBehavior.Restrict);
    }
}
