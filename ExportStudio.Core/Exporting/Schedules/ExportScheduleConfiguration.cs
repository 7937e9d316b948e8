using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ExportStudio.Core.Exporting.Jobs;

namespace ExportStudio.Core.Exporting.Schedules;

internal sealed class ExportScheduleConfiguration : IEntityTypeConfiguration<ExportSchedule>
{
    public void Configure(EntityTypeBuilder<ExportSchedule> builder)
    {
        builder.ToTable("ExportSchedules");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(ScheduleDefinition.MaxNameLength);
        builder.MapRequest(s => s.Formats, s => s.Filters, s => s.Options);
        builder.Property(s => s.Every).HasMaxLength(40);
        builder.Property(s => s.Cron).HasMaxLength(200);
        builder.Property(s => s.TimeZone).HasMaxLength(100);
        builder.Property(s => s.Mode).HasConversion(m => m.ToWireName(), m => ScheduleModeNames.FromStored(m)).HasMaxLength(16);
        builder.Ignore(s => s.Rhythm);
        builder.Ignore(s => s.Request);
        // Every instance's scheduler looks for enabled schedules whose slot has come.
        builder.HasIndex(s => new { s.Enabled, s.NextRunAt });
    }
}
