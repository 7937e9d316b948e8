// The viewer's reading, off the page's thread: fetch the export as stored, undo its compression layer (zstd
// with libzstd in WebAssembly, gzip member by member with DecompressionStream), read the tar of a bundle,
// and find the sessions of its JSON or JSON Lines document as they are decoded. The page gets an index entry
// per session (in small batches) and the sessions' bytes in Blob parts; the worker keeps nothing behind.
//
// start { url, documentName }           → layer, entry…, header, sessions…, part…, progress…, done | error
// start { url, documentName, seek: n }  → session { n, bytes } for the n-th session only (re-reading the file)
import { decompressStream } from '../../lib/zstd-stream/zstd-stream.js';
import { gunzipMembers } from './gzip-members.js';
import { TarReader, isTar } from './tar-reader.js';
import { SessionScanner } from './session-scanner.js';
import { PartWriter } from './session-parts.js';
import { parseManifest, sessionEntries, TRANSCRIPT_FORMATS } from './manifest.js';
import { problem } from './http-problem.js';

const BATCH_MS = 100;
const PER_SESSION_ENTRY = /^(?:\.\/)?(?:manifest\.json|dictionary\.zdict|sessions\/)/;
const MANIFEST_ENTRY = /^(?:\.\/)?manifest\.json$/;
const SESSION_ENTRY = /^(?:\.\/)?sessions\//;
const text = new TextDecoder();

self.onmessage = ({ data }) => {
  if (data.type === 'start') {
    run(data).then(
      () => self.postMessage({ type: 'done' }),
      (error) => self.postMessage({ type: 'error', name: error.name, message: error.message }));
  }
};

class Stop extends Error {}

async function run({ url, documentName, seek }) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(await problem(response));
  const progress = new Progress(Number(response.headers.get('Content-Length')) || 0, seek === undefined);
  const [first, chunks] = await peek(response.body, (n) => progress.compressed += n);
  if (!first) throw new Error('The export file is empty.');
  const layer = first[0] === 0x28 && first[1] === 0xb5 && first[2] === 0x2f && first[3] === 0xfd ? 'zstd'
    : first[0] === 0x1f && first[1] === 0x8b ? 'gzip' : 'none';
  const decoded = layer === 'zstd' ? decompressStream(chunks) : layer === 'gzip' ? gunzipMembers(chunks) : chunks;
  const sessions = seek === undefined ? new Indexer(progress) : new Seeker(seek);
  const route = new Router(documentName, sessions, layer);
  try {
    for await (const chunk of decoded) {
      route.push(chunk);
      progress.decoded += chunk.length;
      progress.maybePost();
    }
  } catch (error) {
    if (error instanceof Stop) return;
    throw error;
  }
  route.finish();
  sessions.finish();
  progress.post();
}

/** Sends each first chunk on to decide the layer by its magic bytes, then every chunk (the first again). */
async function peek(body, count) {
  const reader = body.getReader();
  const { value: first } = await reader.read();
  async function* all() {
    try {
      if (first) { count(first.length); yield first; }
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        count(value.length);
        yield value;
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }
  return [first, all()];
}

/** Decides from the first decoded block whether this is a tar (a bundle) or the document itself, then feeds the scanner. */
class Router {
  constructor(documentName, sessions, layer) {
    this.documentName = documentName;
    this.sessions = sessions;
    this.layer = layer;
    this.head = [];
    this.headLength = 0;
    this.target = null;
  }

  push(chunk) {
    if (this.target) { this.target.push(chunk); return; }
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength >= 512) this.decide();
  }

  finish() {
    if (!this.target) this.decide();
    this.target.finish();
  }

  decide() {
    const tar = isTar(joined(this.head, this.headLength).subarray(0, 512));
    self.postMessage({ type: 'layer', compression: this.layer, tar });
    this.target = tar ? this.bundle() : this.document(this.documentName);
    for (const chunk of this.head) this.target.push(chunk);
    this.head = null;
  }

  document(name) {
    const mode = /\.jsonl$/i.test(name) ? 'lines' : /\.json$/i.test(name) ? 'document' : null;
    if (!mode) throw new Error(`${name} is not a JSON or JSON Lines document, which is what the viewer lists.`);
    return new SessionScanner(mode, this.sessions);
  }

  /**
   * A bundle: every entry is listed; the first JSON or JSON Lines document is opened. A per-session archive
   * (its first entry an ExportStudio manifest.json) instead has each session's document scanned as it
   * arrives, in the format the manifest's entries say is best, so its sessions are listed as they come.
   */
  bundle() {
    let opened = null, scanner = null, perSession = false, first = true;
    let manifestEntry = null, manifestParts = null, wanted = null;
    const tar = new TarReader({
      onEntry: (entry) => {
        if (first && entry.type === 'file' && MANIFEST_ENTRY.test(entry.name)) { manifestEntry = entry; manifestParts = []; }
        first = false;
        if (manifestEntry === entry) return; // listed once it is read, with what it turned out to be
        if (wanted) {
          if (wanted.has(entry.name)) { opened = entry; scanner = this.perSessionDocument(entry.name); }
          // Thousands of session entries would drown the list of files; the sessions are listed below instead.
          else if (!SESSION_ENTRY.test(entry.name)) self.postMessage({ type: 'entry', entry: { ...entry, opened: false } });
          return;
        }
        // An archive with a file per session has a manifest.json, which is JSON but lists files, not sessions:
        // opened as a document it would show its file entries as empty sessions.
        const layoutFile = PER_SESSION_ENTRY.test(entry.name);
        perSession ||= layoutFile;
        const open = !opened && !layoutFile && entry.type === 'file' && /\.jsonl?$/i.test(entry.name);
        if (open) { opened = entry; scanner = this.document(entry.name); }
        self.postMessage({ type: 'entry', entry: { ...entry, opened: open } });
      },
      onData: (entry, bytes) => {
        if (entry === manifestEntry) manifestParts.push(bytes.slice());
        else if (entry === opened) scanner.push(bytes);
      },
      onEntryEnd: (entry) => {
        if (entry === manifestEntry) {
          const manifest = parseManifest(joined(manifestParts, manifestParts.reduce((n, p) => n + p.length, 0)));
          manifestParts = null;
          perSession = true;
          if (manifest) wanted = this.perSessionPaths(manifest);
          self.postMessage({ type: 'entry', entry: { ...entry, opened: false, note: manifest ? 'the list of sessions' : undefined } });
        } else if (entry === opened) {
          scanner.finish();
          if (wanted) { opened = null; scanner = null; }
        }
      },
    });
    return {
      push: (chunk) => tar.push(chunk),
      finish: () => {
        tar.finish();
        if (wanted) return;
        if (!opened && perSession) throw new Error('This archive holds a file per session (manifest.json) but its manifest is not one this viewer reads. Download it from History instead.');
        if (!opened) throw new Error('The archive holds no JSON or JSON Lines document, which is what the viewer lists.');
      },
    };
  }

  /** The entries whose documents are scanned for sessions: one per session, in a transcript format. */
  perSessionPaths(manifest) {
    if (manifest.entryCompression !== 'none') {
      // Frames inside a stream: the page reads such an archive by Range requests (framed-archive.js) instead.
      throw new Error('This archive holds a zstd frame per session; the viewer reads such an archive a session at a time, not as a stream.');
    }
    const chosen = sessionEntries(manifest).filter((entry) => TRANSCRIPT_FORMATS.includes(entry.format));
    if (!chosen.length) {
      throw new Error(`This archive holds its sessions as ${(manifest.formats ?? []).join(', ') || 'no documents'}; the viewer lists JSON and JSON Lines documents. Download it from History instead.`);
    }
    this.sessions.onHeader({ sessionCount: chosen.length });
    return new Set(chosen.map((entry) => entry.path));
  }

  /** One session's own document (a header and one session, or one line): its session goes to the index, its header is the archive's, already sent. */
  perSessionDocument(name) {
    const mode = /\.jsonl$/i.test(name) ? 'lines' : 'document';
    return new SessionScanner(mode, { onHeader() {}, onSession: (parts, length, offset) => this.sessions.onSession(parts, length, offset) });
  }
}

/** Index entries for the page, in batches, and the sessions' bytes into Blob parts. */
class Indexer {
  constructor(progress) {
    this.progress = progress;
    this.parts = new PartWriter((index, blob) => self.postMessage({ type: 'part', index, blob }));
    this.batch = [];
    this.count = 0;
    this.postedAt = -Infinity;
  }

  onHeader(header) {
    self.postMessage({ type: 'header', header: { version: header.version, exportedAt: header.exportedAt, sessionCount: header.sessionCount, messageCount: header.messageCount } });
  }

  onSession(parts, length) {
    const bytes = joined(parts, length);
    const session = JSON.parse(text.decode(bytes));
    this.batch.push(describe(session, this.count++, this.parts.add(bytes)));
    const now = performance.now();
    if (now - this.postedAt >= BATCH_MS) this.post(now);
  }

  post(now = performance.now()) {
    this.postedAt = now;
    this.parts.seal(now);
    if (this.batch.length) self.postMessage({ type: 'sessions', entries: this.batch });
    this.batch = [];
    this.progress.post();
  }

  finish() { this.post(); }
}

/** Re-reading the file for one session whose part could not be read back. */
class Seeker {
  constructor(n) { this.n = n; this.count = 0; }
  onHeader() {}
  onSession(parts, length) {
    if (this.count++ !== this.n) return;
    const bytes = joined(parts, length);
    self.postMessage({ type: 'session', n: this.n, bytes }, [bytes.buffer]);
    throw new Stop();
  }
  finish() { throw new Error(`The export holds no session number ${this.n + 1}.`); }
}

/** What the list shows and searches of a session. */
function describe(session, n, place) {
  const messages = Array.isArray(session.messages) ? session.messages : null;
  return {
    n, place,
    id: String(session.id ?? ''), title: String(session.title ?? ''), model: String(session.model ?? ''),
    createdAt: String(session.createdAt ?? ''), tags: Array.isArray(session.tags) ? session.tags.map(String) : [],
    messages: messages ? messages.length : null,
    toolCalls: messages ? messages.reduce((sum, m) => sum + (Array.isArray(m.toolCalls) ? m.toolCalls.length : 0), 0) : null,
  };
}

class Progress {
  constructor(total, enabled) { this.total = total; this.enabled = enabled; this.compressed = 0; this.decoded = 0; this.postedAt = 0; }
  maybePost() { if (this.enabled && performance.now() - this.postedAt >= BATCH_MS) this.post(); }
  post() {
    if (!this.enabled) return;
    this.postedAt = performance.now();
    self.postMessage({ type: 'progress', compressed: this.compressed, decoded: this.decoded, total: this.total });
  }
}

function joined(parts, length) {
  if (parts.length === 1) return parts[0].slice();
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}
