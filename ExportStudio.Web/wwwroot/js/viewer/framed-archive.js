// The reader of a per-session zstd archive: a plain tar whose first entry is manifest.json, then
// dictionary.zdict when the frames were compressed with one, then a zstd frame per session and format. The
// file is served as stored with Range support, so the viewer never downloads it whole: one Range request for
// its head (the manifest, and the dictionary right behind it; a second only when they are larger than the
// head), and one Range request per session opened, for exactly that session's frame, which is decompressed
// here with the dictionary. The server is never asked to decompress.
import { decompressStream } from '../../lib/zstd-stream/zstd-stream.js';
import { TarReader } from './tar-reader.js';
import { parseManifest, sessionEntries, describeEntry } from './manifest.js';
import { problem } from './http-problem.js';

// Enough for the manifest of a few hundred sessions and a default-sized (110 KB) dictionary in one request.
const HEAD_BYTES = 256 << 10;
const text = new TextDecoder();

/** A session archived only in a format the viewer does not show as a transcript: its document as text. */
export class SessionText {
  constructor(format, value) { this.format = format; this.text = value; }
}

export class FramedArchiveReader {
  /** @param {{ url: string, headBytes?: number }} source headBytes: the first request's length (HEAD_BYTES unless given). */
  constructor({ url, headBytes = HEAD_BYTES }) {
    this.url = new URL(url, document.baseURI).href;
    this.headBytes = headBytes;
    this.abort = new AbortController();
    this.dictionary = null;
    this.manifest = null;
    this.fetched = 0;
    this.total = 0;
  }

  start(events) {
    this.open(events).then(() => events.done(), (error) => { if (!this.abort.signal.aborted) events.error(error); });
  }

  async open(events) {
    events.layer({ compression: 'zstd', tar: true });
    let head = await this.range(0, this.headBytes - 1);
    const first = firstEntry(head);
    if (!first || first.name !== 'manifest.json') throw new Error('This archive does not start with manifest.json, so its sessions cannot be listed.');
    const manifestEnd = 512 + first.size;
    if (head.length < manifestEnd) head = concat(head, await this.range(head.length, manifestEnd - 1));
    const manifest = parseManifest(head.subarray(512, manifestEnd));
    if (!manifest) throw new Error('manifest.json is not an ExportStudio manifest this viewer reads (version 1).');
    if (manifest.entryCompression !== 'zstd' || manifest.offsetsIn !== 'file') throw new Error('This archive\'s sessions are not zstd frames at offsets in the file.');
    this.manifest = manifest;
    events.entry({ name: 'manifest.json', size: first.size, type: 'file', note: 'the list of sessions' });

    if (manifest.dictionary) {
      // The writer puts the dictionary right behind the manifest; the manifest says exactly where.
      const { offset, size, path } = manifest.dictionary;
      const end = offset + size;
      if (head.length < end) head = concat(head, await this.range(head.length, end - 1));
      this.dictionary = head.slice(offset, end);
      await verify(this.dictionary, manifest.dictionary.sha256, path);
      events.entry({ name: path, size, type: 'file', note: `the zstd dictionary (id ${manifest.dictionary.id}) of every frame` });
    }

    const sessions = sessionEntries(manifest);
    events.entry({ name: 'sessions/', size: manifest.entries.reduce((sum, e) => sum + e.storedSize, 0), type: 'directory',
      note: `${manifest.entries.length} zstd frames (${(manifest.formats ?? []).join(', ')}), each fetched alone when its session is opened` });
    events.header({ sessionCount: sessions.length });
    events.sessions(sessions.map((entry, n) => describeEntry(entry, n, { frame: entry })));
    events.progress({ compressed: this.fetched, decoded: 0, total: this.total });
  }

  /** The session's frame, fetched alone and decompressed with the archive's dictionary. */
  async read(entry) {
    const frame = entry.frame;
    const stored = await this.range(frame.offset, frame.offset + frame.storedSize - 1);
    if (stored.length !== frame.storedSize) throw new Error(`The server sent ${stored.length} bytes of a ${frame.storedSize}-byte frame.`);
    const parts = [];
    for await (const chunk of decompressStream([stored], this.dictionary ? { dictionary: this.dictionary, signal: this.abort.signal } : { signal: this.abort.signal })) parts.push(chunk);
    const bytes = concat(...parts);
    if (bytes.length !== frame.originalSize) throw new Error(`${frame.path} decompressed to ${bytes.length} bytes, not the ${frame.originalSize} the manifest lists.`);
    await verify(bytes, frame.sha256, frame.path);
    const doc = text.decode(bytes);
    if (frame.format === 'json') {
      const parsed = JSON.parse(doc);
      if (!Array.isArray(parsed.sessions) || parsed.sessions.length !== 1) throw new Error(`${frame.path} does not hold one session.`);
      return parsed.sessions[0];
    }
    if (frame.format === 'jsonl') {
      // Every line is a session but for an incremental run's increment line, which carries no messages.
      const session = doc.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line)).find((value) => 'id' in value && 'title' in value);
      if (!session) throw new Error(`${frame.path} holds no session.`);
      return session;
    }
    return new SessionText(frame.format, doc);
  }

  stop() { this.abort.abort(); }

  /** Bytes start..end (inclusive) of the stored file, by one Range request; a server that ignores Range is an error, never a whole download. */
  async range(start, end) {
    const response = await fetch(this.url, { headers: { Range: `bytes=${start}-${end}` }, signal: this.abort.signal });
    if (response.status !== 206) {
      if (response.ok) {
        response.body?.cancel().catch(() => {});
        throw new Error('The server sent the whole file instead of the part asked for; download the archive from History instead.');
      }
      throw new Error(await problem(response));
    }
    const total = /\/(\d+)$/.exec(response.headers.get('Content-Range') ?? '');
    if (total) this.total = Number(total[1]);
    const bytes = new Uint8Array(await response.arrayBuffer());
    this.fetched += bytes.length;
    return bytes;
  }
}

/** The first tar entry's name and size, from the head's first block (null when it is not a tar). */
function firstEntry(head) {
  if (head.length < 512) return null;
  let entry = null;
  const tar = new TarReader({ onEntry: (e) => { entry = e; }, onData() {}, onEntryEnd() {} });
  try {
    tar.push(head.subarray(0, 512));
  } catch {
    return null;
  }
  return entry;
}

/** Checks bytes against the manifest's SHA-256 where the browser offers hashing (crypto.subtle needs a secure context). */
async function verify(bytes, expected, name) {
  if (!globalThis.crypto?.subtle || !expected) return;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hex = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== expected) throw new Error(`${name} does not match its SHA-256 in the manifest: the file is damaged.`);
}

function concat(...parts) {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}
