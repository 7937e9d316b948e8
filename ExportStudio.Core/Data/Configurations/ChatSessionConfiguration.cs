using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExportStudio.Core.Data.Configurations;

internal sealed class ChatSessionConfiguration : IEntityTypeConfiguration<ChatSession>
{
    public void Configure(EntityTypeBuilder<ChatSession> builder)
    {
        builder.ToTable("Sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Title).HasMaxLength(500).IsRequired();
        builder.Property(s => s.Model).HasMaxLength(200).IsRequired();
        builder.Property(s => s.MetadataJson).HasColumnName("Metadata").IsRequired();
        builder.PrimitiveCollection(s => s.Tags).IsRequired();

        // The export filters: date range on creation time, and model.
        builder.HasIndex(s => s.CreatedAt);
        builder.HasIndex(s => s.Model);

        // An import writes its sessions in short transactions and reveals them in one: until then no
        // query sees them. Only pending rows are indexed, so the index is empty most of the time.
        builder.Property(s => s.PendingImport).HasMaxLength(36);
        builder.HasIndex(s => s.PendingImport).HasFilter("\"PendingImport\" IS NOT NULL");
        builder.HasQueryFilter(s => s.PendingImport == null);

        // Incremental exports select by change sequence.
        builder.HasIndex(s => s.ChangeSequence);

        builder.HasMany(s => s.Messages)
            .WithOne()
            .HasForeignKey(m => m.SessionId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
