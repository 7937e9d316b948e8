using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Exporting.Jobs;

internal sealed class ExportJobConfiguration : IEntityTypeConfiguration<ExportJob>
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public void Configure(EntityTypeBuilder<ExportJob> builder)
    {
        builder.ToTable("ExportJobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Status).HasConversion(s => s.ToWireName(), s => Enum.Parse<ExportJobStatus>(s, true)).HasMaxLength(16);
        builder.Property(j => j.Stage).HasConversion(s => s.ToWireName(), s => Enum.Parse<ExportStage>(s, true)).HasMaxLength(16);

        builder.Property(j => j.Formats)
            .HasConversion(
                formats => string.Join(',', formats.Select(f => f.GetWireName())),
                text => ParseFormats(text),
                new ValueComparer<List<ExportFormat>>(
                    (a, b) => a!.SequenceEqual(b!),
                    list => list.Aggregate(0, (hash, f) => HashCode.Combine(hash, f)),
                    list => list.ToList()))
            .HasMaxLength(100);

        builder.Property(j => j.Filters).HasConversion(
            filters => JsonSerializer.Serialize(filters, JsonOptions),
            text => JsonSerializer.Deserialize<ExportFilters>(text, JsonOptions) ?? ExportFilters.None,
            JsonComparer<ExportFilters>());

        builder.Property(j => j.Options).HasConversion(
            options => JsonSerializer.Serialize(options, JsonOptions),
            text => JsonSerializer.Deserialize<ExportOptions>(text, JsonOptions) ?? new ExportOptions(),
            JsonComparer<ExportOptions>());

        builder.Property(j => j.FileName).HasMaxLength(200);
        builder.Property(j => j.ContentType).HasMaxLength(100);
        builder.Property(j => j.Sha256).HasMaxLength(64);
        builder.Property(j => j.ClaimedBy).HasMaxLength(100);

        builder.Ignore(j => j.PrimaryFormat);
        builder.Ignore(j => j.CompressionFormat);
        builder.Ignore(j => j.Request);
        builder.Ignore(j => j.Downloads);

        // History is listed newest first; the worker looks up queued jobs by status.
        builder.HasIndex(j => j.CreatedAt);
        builder.HasIndex(j => j.Status);
        // Every instance's sweep looks for running jobs whose lease has passed.
        builder.HasIndex(j => new { j.Status, j.LeaseExpiresAt });
    }

    private static List<ExportFormat> ParseFormats(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => ExportFormatFacts.TryParseWireName(name, out var f) ? f : throw new InvalidOperationException($"Unknown export format '{name}' in the database."))
            .ToList();

    private static ValueComparer<T> JsonComparer<T>() => new(
        (a, b) => JsonSerializer.Serialize(a, JsonOptions) == JsonSerializer.Serialize(b, JsonOptions),
        value => JsonSerializer.Serialize(value, JsonOptions).GetHashCode(),
        value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, JsonOptions), JsonOptions)!);
}
