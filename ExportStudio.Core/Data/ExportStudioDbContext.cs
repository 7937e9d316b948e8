using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ExportStudio.Core.Data;

public sealed class ExportStudioDbContext(DbContextOptions<ExportStudioDbContext> options) : DbContext(options)
{
    public DbSet<ChatSession> Sessions => Set<ChatSession>();
    public DbSet<ChatMessage> Messages => Set<ChatMessage>();
    public DbSet<ToolCall> ToolCalls => Set<ToolCall>();
    public DbSet<SessionDeletion> SessionDeletions => Set<SessionDeletion>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ExportStudioDbContext).Assembly);
        // Queries fold text with the same function in the database as in .NET; the provider's configuration
        // (ExportStudioSqlite) supplies it, so the queries themselves name no provider's SQL.
        modelBuilder.HasDbFunction(typeof(TextFolding).GetMethod(nameof(TextFolding.Fold))!).HasName(TextFolding.SqlFunctionName);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no time-zone type: every timestamp is stored as UTC and must come back marked UTC,
        // or it would be serialized without the 'Z' the API promises.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
