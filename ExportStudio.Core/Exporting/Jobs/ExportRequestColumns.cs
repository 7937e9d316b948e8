using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>How a saved export request is stored, for jobs and schedules alike: formats as wire names, filters and options as JSON.</summary>
internal static class ExportRequestColumns
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static void MapRequest<T>(this EntityTypeBuilder<T> builder,
        System.Linq.Expressions.Expression<Func<T, List<ExportFormat>>> formats,
        System.Linq.Expressions.Expression<Func<T, ExportFilters>> filters,
        System.Linq.Expressions.Expression<Func<T, ExportOptions>> options) where T : class
    {
        builder.Property(formats)
            .HasConversion(
                list => string.Join(',', list.Select(f => f.GetWireName())),
                text => ParseFormats(text),
                new ValueComparer<List<ExportFormat>>(
                    (a, b) => a!.SequenceEqual(b!),
                    list => list.Aggregate(0, (hash, f) => HashCode.Combine(hash, f)),
                    list => list.ToList()))
            .HasMaxLength(100);

        builder.Property(filters).HasConversion(
            value => JsonSerializer.Serialize(value, JsonOptions),
            text => JsonSerializer.Deserialize<ExportFilters>(text, JsonOptions) ?? ExportFilters.None,
            JsonComparer<ExportFilters>());

        builder.Property(options).HasConversion(
            value => JsonSerializer.Serialize(value, JsonOptions),
            text => JsonSerializer.Deserialize<ExportOptions>(text, JsonOptions) ?? new ExportOptions(),
            JsonComparer<ExportOptions>());
    }

    private static List<ExportFormat> ParseFormats(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => ExportFormatFacts.TryParseWireName(name, out var f) ? f : throw new InvalidOperationException($"Unknown export format '{name}' in the database."))
            .ToList();

    private static ValueComparer<TValue> JsonComparer<TValue>() => new(
        (a, b) => JsonSerializer.Serialize(a, JsonOptions) == JsonSerializer.Serialize(b, JsonOptions),
        value => JsonSerializer.Serialize(value, JsonOptions).GetHashCode(),
        value => JsonSerializer.Deserialize<TValue>(JsonSerializer.Serialize(value, JsonOptions), JsonOptions)!);
}
