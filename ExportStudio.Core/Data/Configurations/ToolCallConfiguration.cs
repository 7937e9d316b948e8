using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExportStudio.Core.Data.Configurations;

internal sealed class ToolCallConfiguration : IEntityTypeConfiguration<ToolCall>
{
    public void Configure(EntityTypeBuilder<ToolCall> builder)
    {
        builder.ToTable("ToolCalls");

        // Call ids come from models and other exports: unique within a message, not globally.
        builder.HasKey(t => new { t.MessageId, t.Id });
        builder.Property(t => t.Id).HasMaxLength(200);
        builder.Property(t => t.Name).HasMaxLength(200).IsRequired();
        builder.Property(t => t.ArgumentsJson).HasColumnName("Arguments").IsRequired();
        builder.Property(t => t.ResultJson).HasColumnName("Result");
    }
}
