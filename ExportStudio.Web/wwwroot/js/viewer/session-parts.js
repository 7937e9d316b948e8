// Where the viewer keeps each session's JSON while it is open: not in the page's memory but in Blobs of a
// few MiB, which the browser holds in its own blob store (and, in a normal profile, pages to disk when they
// grow large). The page keeps only an index entry per session with its place in a part, and reads a
// session's bytes back when it is opened. A part is sealed once it reaches PART_BYTES or a quarter of a
// second after the last one, so a session can be opened soon after it is listed.
const PART_BYTES = 8 << 20;
const PART_MS = 250;

/** In the worker: collects sessions' bytes into parts and hands each sealed part on as a Blob. */
export class PartWriter {
  constructor(onPart) {
    this.onPart = onPart;
    this.pending = [];
    this.pendingBytes = 0;
    this.index = 0;
    this.sealedAt = -Infinity;
  }

  /** Adds one session's bytes; returns where they will be: { part, offset, length }. */
  add(bytes) {
    const place = { part: this.index, offset: this.pendingBytes, length: bytes.length };
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    const now = performance.now();
    if (this.pendingBytes >= PART_BYTES || now - this.sealedAt >= PART_MS) this.seal(now);
    return place;
  }

  seal(now = performance.now()) {
    this.sealedAt = now;
    if (!this.pending.length) return;
    this.onPart(this.index++, new Blob(this.pending, { type: 'application/json' }));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** In the page: the sealed parts as they arrive, and one session's bytes read back from its part. */
export class PartReader {
  constructor() {
    this.parts = [];
    this.waiting = new Map();
  }

  add(index, blob) {
    this.parts[index] = blob;
    this.waiting.get(index)?.forEach((resolve) => resolve(blob));
    this.waiting.delete(index);
  }

  async read({ part, offset, length }) {
    const blob = this.parts[part] ?? await new Promise((resolve) => {
      if (!this.waiting.has(part)) this.waiting.set(part, []);
      this.waiting.get(part).push(resolve);
    });
    return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
  }
}
