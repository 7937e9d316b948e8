namespace ExportStudio.Core.Compression;

/// <summary>One compression format: writes the entries to the destination as the data flows.</summary>
internal interface ICompressionCodec
{
    CompressionFormat Format { get; }

    /// <param name="destination">The stored bytes go here; the codec does not dispose it.</param>
    /// <param name="level">Already validated: a level in the format's range, or null for formats without levels.</param>
    Task WriteAsync(Stream destination, IReadOnlyList<ExportEntry> entries, int? level, CompressionContext context, CancellationToken cancellationToken);
}

/// <summary>What every codec needs besides the data: counters to update, the entries' time, threads, temp space.</summary>
internal sealed record CompressionContext(CompressionCounters Counters, DateTime ModifiedUtc, int Workers, string TempDirectory);
