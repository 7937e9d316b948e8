using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExportStudio.Core.Exporting.Schedules;

internal sealed class ScheduleDictionaryConfiguration : IEntityTypeConfiguration<ScheduleDictionary>
{
    public void Configure(EntityTypeBuilder<ScheduleDictionary> builder)
    {
        builder.ToTable("ScheduleDictionaries");
        builder.HasKey(d => d.Id);
        // uint has no SQLite type of its own; a long holds every zstd id.
        builder.Property(d => d.DictionaryId).HasConversion(id => (long)id, id => (uint)id);
        builder.HasOne<ExportSchedule>().WithMany().HasForeignKey(d => d.ScheduleId).OnDelete(DeleteBehavior.SetNull);
        // A run finds its schedule's newest dictionary; an import finds a dictionary by the id its frame names.
        builder.HasIndex(d => new { d.ScheduleId, d.CreatedAt });
        builder.HasIndex(d => d.DictionaryId);
    }
}
