using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExportStudio.Core.Importing;

/// <summary>
/// An import in progress, under a lease its heartbeat renews: while it lives, the sessions it has written
/// stay pending (invisible); if its process dies, the lease expires and any instance removes them.
/// </summary>
public sealed class ImportRun
{
    public Guid Id { get; set; }

    /// <summary>The instance running the import.</summary>
    public required string Owner { get; set; }

    public DateTime StartedAt { get; set; }
    public DateTime LeaseExpiresAt { get; set; }

    /// <summary>The marker its sessions carry while pending.</summary>
    public string Marker => Id.ToString("N");
}

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> builder)
    {
        builder.ToTable("ImportRuns");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Owner).HasMaxLength(100).IsRequired();
        builder.Ignore(r => r.Marker);
    }
}
