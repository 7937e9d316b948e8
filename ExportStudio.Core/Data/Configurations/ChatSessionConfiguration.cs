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

        builder.HasMany(s => s.Messages)
            .WithOne()
            .HasForeignKey(m => m.SessionId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
