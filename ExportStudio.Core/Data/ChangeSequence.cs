using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace ExportStudio.Core.Data;

/// <summary>
/// The one database-wide, monotonic sequence every change to a session takes a value from. It is a row of
/// its own, advanced inside the changing transaction, so two writers (or two instances) never take the same
/// value and a change's value is visible exactly when the change is: a watermark is never a clock.
/// </summary>
public sealed class ChangeCounter
{
    public const int TheOne = 1;

    public int Id { get; set; } = TheOne;
    public long Value { get; set; }

    /// <summary>
    /// Takes the next <paramref name="count"/> values inside the current transaction of <paramref name="db"/>
    /// (there must be one) and returns the last of them.
    /// </summary>
    public static async Task<long> TakeAsync(ExportStudioDbContext db, long count, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("A change takes its sequence inside its own transaction.");
        var counters = db.Model.FindEntityType(typeof(ChangeCounter))!;
        var table = db.GetService<ISqlGenerationHelper>().DelimitIdentifier(counters.GetTableName()!);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = $"UPDATE {table} SET \"Value\" = \"Value\" + {count} WHERE \"Id\" = {TheOne} RETURNING \"Value\"";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>The last value taken, as the caller's snapshot sees it.</summary>
    public static async Task<long> CurrentAsync(ExportStudioDbContext db, CancellationToken cancellationToken) =>
        await db.Set<ChangeCounter>().Where(c => c.Id == TheOne).Select(c => c.Value).SingleAsync(cancellationToken);
}

internal sealed class ChangeCounterConfiguration : IEntityTypeConfiguration<ChangeCounter>
{
    public void Configure(EntityTypeBuilder<ChangeCounter> builder)
    {
        builder.ToTable("ChangeCounter");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasData(new ChangeCounter { Id = ChangeCounter.TheOne, Value = 0 });
    }
}

internal sealed class SessionDeletionConfiguration : IEntityTypeConfiguration<SessionDeletion>
{
    public void Configure(EntityTypeBuilder<SessionDeletion> builder)
    {
        builder.ToTable("SessionDeletions");
        builder.HasKey(d => d.SessionId);
        builder.HasIndex(d => d.ChangeSequence);
    }
}
