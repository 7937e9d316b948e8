using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExportStudio.Core.Data.Configurations;

internal sealed class ChatMessageConfiguration : IEntityTypeConfiguration<ChatMessage>
{
    public void Configure(EntityTypeBuilder<ChatMessage> builder)
    {
        builder.ToTable("Messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Role).HasConversion(r => r.ToWireName(), s => ParseRole(s)).HasMaxLength(16);
        builder.Property(m => m.Content).IsRequired();

        // Exports read a session's messages in order.
        builder.HasIndex(m => new { m.SessionId, m.Order });

        builder.HasMany(m => m.ToolCalls)
            .WithOne()
            .HasForeignKey(t => t.MessageId)
            .OnDelete(DeleteBehavior.Cascade);
    }

    private static MessageRole ParseRole(string value) =>
        MessageRoleNames.TryParse(value, out var role) ? role : throw new InvalidOperationException($"Unknown message role '{value}' in the database.");
}
