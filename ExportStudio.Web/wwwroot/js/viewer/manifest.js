// manifest.json, the first entry of a per-session archive (ExportStudio.Core/Compression/Archives/
// SessionArchiveManifest.cs): where every session's document is, so the viewer can list an archive's sessions
// before (or without) reading them. Shared by the streaming worker (tar.gz, tar.zst) and the framed reader.
const KIND = 'ExportStudio per-session archive';
const text = new TextDecoder();

/** Formats the viewer shows as a transcript, best first: a session archived in several is opened in the first. */
export const TRANSCRIPT_FORMATS = ['json', 'jsonl'];

/** The manifest, or null when the bytes are not an ExportStudio manifest of a version this viewer reads. */
export function parseManifest(bytes) {
  let manifest;
  try {
    manifest = JSON.parse(text.decode(bytes));
  } catch {
    return null;
  }
  if (manifest?.kind !== KIND || manifest.manifestVersion !== 1 || !Array.isArray(manifest.entries)) return null;
  return manifest;
}

/**
 * One manifest entry per session, in archive order: the session's document in the best format it was
 * archived in (a transcript format if there is one, else the first listed, shown as text).
 */
export function sessionEntries(manifest) {
  const chosen = new Map();
  const rank = (format) => { const i = TRANSCRIPT_FORMATS.indexOf(format); return i < 0 ? TRANSCRIPT_FORMATS.length : i; };
  for (const entry of manifest.entries) {
    const id = String(entry.sessionId);
    const current = chosen.get(id);
    if (!current || rank(entry.format) < rank(current.format)) chosen.set(id, entry);
  }
  return [...chosen.values()];
}

/** What the list shows and searches of a session known only from the manifest (its id and title). */
export function describeEntry(entry, n, more = {}) {
  return {
    n, id: String(entry.sessionId ?? ''), title: String(entry.title ?? ''), model: '', createdAt: '', tags: [],
    messages: null, toolCalls: null, format: String(entry.format ?? ''), ...more,
  };
}
