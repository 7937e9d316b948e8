using ExportStudio.Core.Compression;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Formats;
using ExportStudio.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExportStudio.Core.Imports;

/// <summary>
/// Imports sessions from an export file: JSON or JSON Lines, plain, zstd, gzip, or a tar / tar.gz / tar.zst
/// holding them, recognised by content rather than by name. All or nothing: one transaction, rolled back on
/// the first problem. Sessions whose id already exists are skipped and counted.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<ExportStudioDbContext> contextFactory,
    IOptions<ExportStudioOptions> options,
    ILogger<ImportService> logger)
{
    private const int BatchSize = 250;
    private const int SniffBytes = 512;

    /// <param name="upload">The uploaded bytes (already limited to MaxImportBytes by the caller).</param>
    public async Task<ImportResult> ImportAsync(Stream upload, CancellationToken cancellationToken = default)
    {
        var maxBytes = options.Value.MaxImportBytes;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = new ImportBatch(db);

        string detected;
        var entries = new List<string>();
        try
        {
            var (uploadStream, uploadHead) = await PrefixedStream.PeekAsync(upload, SniffBytes, cancellationToken);
            var outer = CompressedFileReader.Detect(uploadHead.Span);
            var content = CompressedFileReader.OpenContent(uploadStream, maxBytes);
            var (inner, innerHead) = await PrefixedStream.PeekAsync(content, SniffBytes, cancellationToken);
            await using (inner)
            {
                if (CompressedFileReader.Detect(innerHead.Span) == StoredFormat.Tar)
                {
                    detected = Describe(outer, tar: true);
                    await foreach (var entry in TarEntryReader.ReadEntriesAsync(inner, cancellationToken))
                    {
                        var (entryStream, entryHead) = await PrefixedStream.PeekAsync(entry.Content, SniffBytes, cancellationToken);
                        if (!LooksLikeJson(entryHead.Span))
                        {
                            continue; // CSV and Markdown entries of a bundle carry nothing to import.
                        }
                        entries.Add(entry.Name);
                        await ImportDocumentAsync(entryStream, batch, $"entry '{entry.Name}'", cancellationToken);
                    }
                    if (entries.Count == 0)
                    {
                        throw new ImportRejectedException("The archive holds no JSON or JSON Lines export. Import an archive made by ExportStudio with the json or jsonl format.");
                    }
                }
                else
                {
                    if (!LooksLikeJson(innerHead.Span))
                    {
                        throw new ImportRejectedException(
                            "The file is not an ExportStudio export: expected JSON or JSON Lines, plain or compressed with zstd or gzip, or a tar / tar.gz / tar.zst holding them.");
                    }
                    detected = Describe(outer, tar: false);
                    await ImportDocumentAsync(inner, batch, "the file", cancellationToken);
                }
            }
            await batch.FlushAsync(cancellationToken);
        }
        catch (DecompressionLimitExceededException exception)
        {
            throw new ImportTooLargeException($"The import decompresses to more than {maxBytes:N0} bytes (MaxImportBytes). {exception.Message}");
        }
        catch (CorruptCompressedDataException exception)
        {
            throw new ImportRejectedException($"The file is damaged: {exception.Message} Nothing was imported.", exception);
        }
        catch (ImportFormatException exception)
        {
            throw new ImportRejectedException($"{exception.Message} Nothing was imported.", exception);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Imported {Imported} sessions ({Skipped} skipped) from {Format}.", batch.Imported, batch.Skipped, detected);
        return new ImportResult(batch.Imported, batch.Skipped, batch.Messages, entries, detected);
    }

    private static async Task ImportDocumentAsync(Stream document, ImportBatch batch, string source, CancellationToken cancellationToken)
    {
        batch.StartDocument();
        await foreach (var session in ExportDocumentReader.ReadSessionsAsync(document, cancellationToken))
        {
            await batch.AddAsync(session, source, cancellationToken);
        }
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> head)
    {
        head = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;
        var trimmed = head.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] == (byte)'{';
    }

    private static string Describe(StoredFormat outer, bool tar) => (outer, tar) switch
    {
        (StoredFormat.Zstd, true) => "tar.zst",
        (StoredFormat.Gzip, true) => "tar.gz",
        (_, true) => "tar",
        (StoredFormat.Zstd, false) => "zstd",
        (StoredFormat.Gzip, false) => "gzip",
        _ => "plain",
    };

    /// <summary>Collects sessions and writes them in batches, skipping ids that exist and refusing ids that clash.</summary>
    private sealed class ImportBatch(ExportStudioDbContext db)
    {
        private readonly List<(ChatSession Session, string Source)> _pending = [];
        private readonly HashSet<Guid> _seenSessions = [];
        private readonly HashSet<Guid> _seenInDocument = [];

        /// <summary>Starts a new document (a tar entry): duplicates are checked within one document.</summary>
        public void StartDocument() => _seenInDocument.Clear();
        private readonly HashSet<Guid> _seenMessages = [];

        public int Imported { get; private set; }
        public int Skipped { get; private set; }
        public int Messages { get; private set; }

        public async Task AddAsync(ChatSession session, string source, CancellationToken cancellationToken)
        {
            if (!_seenInDocument.Add(session.Id))
            {
                throw new ImportRejectedException($"Session id {session.Id} appears more than once in {source}; each session may appear once. Nothing was imported.");
            }
            if (!_seenSessions.Add(session.Id))
            {
                // The same session in two entries of one bundle (its json and jsonl) is one session.
                Skipped++;
                return;
            }
            foreach (var message in session.Messages)
            {
                if (!_seenMessages.Add(message.Id))
                {
                    throw new ImportRejectedException($"Message id {message.Id} appears more than once in {source}; message ids must be unique. Nothing was imported.");
                }
                message.SessionId = session.Id;
                var callIds = new HashSet<string>();
                foreach (var call in message.ToolCalls)
                {
                    if (!callIds.Add(call.Id))
                    {
                        throw new ImportRejectedException($"Tool call id '{call.Id}' appears twice in message {message.Id} in {source}. Nothing was imported.");
                    }
                    call.MessageId = message.Id;
                }
            }
            _pending.Add((session, source));
            if (_pending.Count >= BatchSize)
            {
                await FlushAsync(cancellationToken);
            }
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            var ids = _pending.Select(p => p.Session.Id).ToList();
            var existing = (await db.Sessions.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken)).ToHashSet();
            var fresh = _pending.Where(p => !existing.Contains(p.Session.Id)).ToList();

            var messageIds = fresh.SelectMany(p => p.Session.Messages).Select(m => m.Id).ToList();
            if (messageIds.Count > 0)
            {
                var clash = await db.Messages.Where(m => messageIds.Contains(m.Id)).Select(m => new { m.Id, m.SessionId }).FirstOrDefaultAsync(cancellationToken);
                if (clash is not null)
                {
                    var owner = fresh.First(p => p.Session.Messages.Any(m => m.Id == clash.Id));
                    throw new ImportRejectedException(
                        $"Message id {clash.Id} in session {owner.Session.Id} ({owner.Source}) already belongs to session {clash.SessionId} in this database. Nothing was imported.");
                }
            }

            db.Sessions.AddRange(fresh.Select(p => p.Session));
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();

            Imported += fresh.Count;
            Skipped += existing.Count;
            Messages += fresh.Sum(p => p.Session.Messages.Count);
            _pending.Clear();
        }
    }
}
