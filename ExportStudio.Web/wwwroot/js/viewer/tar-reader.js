// A streaming tar reader: 512-byte headers, ustar names (prefix + name), GNU long names ('L') and pax paths
// ('x'), sizes in octal or base-256. Bytes are pushed in as they are decoded; each entry's data is handed on
// as views of those bytes, never collected.
const BLOCK = 512;
const text = new TextDecoder();

export class TarError extends Error {
  constructor(message) { super(message); this.name = 'TarError'; }
}

/** True when the first block of a stream is a ustar header (the magic at offset 257). */
export function isTar(firstBlock) {
  if (firstBlock.length < 263) return false;
  const magic = firstBlock.subarray(257, 262);
  return magic[0] === 0x75 && magic[1] === 0x73 && magic[2] === 0x74 && magic[3] === 0x61 && magic[4] === 0x72;
}

export class TarReader {
  /**
   * @param {{ onEntry(entry): void, onData(entry, bytes: Uint8Array): void, onEntryEnd(entry): void }} sink
   * entry = { name, size, type: 'file' | 'directory' | 'other' }
   */
  constructor(sink) {
    this.sink = sink;
    this.header = new Uint8Array(BLOCK);
    this.filled = 0;
    this.entry = null;      // the entry whose data is arriving
    this.left = 0;          // its data bytes still to come
    this.padding = 0;       // then this many bytes to the next block
    this.meta = null;       // a long name or pax data being collected for the next entry
    this.nextName = null;
    this.ended = false;
  }

  push(chunk) {
    let i = 0;
    while (i < chunk.length && !this.ended) {
      if (this.left > 0) {
        const n = Math.min(this.left, chunk.length - i);
        this.data(chunk.subarray(i, i + n));
        this.left -= n;
        i += n;
        if (this.left === 0) this.endEntry();
      } else if (this.padding > 0) {
        const n = Math.min(this.padding, chunk.length - i);
        this.padding -= n;
        i += n;
      } else {
        const n = Math.min(BLOCK - this.filled, chunk.length - i);
        this.header.set(chunk.subarray(i, i + n), this.filled);
        this.filled += n;
        i += n;
        if (this.filled === BLOCK) { this.filled = 0; this.readHeader(); }
      }
    }
  }

  /** Call at the end of the stream: a tar cut short is an error, not a shorter archive. */
  finish() {
    if (this.left > 0 || this.filled > 0 || this.entry) throw new TarError('The archive ends inside an entry.');
  }

  readHeader() {
    const h = this.header;
    if (h.every((b) => b === 0)) { this.ended = true; return; }
    if (checksum(h) !== octal(h.subarray(148, 156))) throw new TarError('A tar header is damaged (its checksum does not match).');
    const type = String.fromCharCode(h[156] || 0x30);
    const size = sizeOf(h.subarray(124, 136));
    const prefix = h[257] === 0x75 ? field(h, 345, 155) : '';
    const name = this.nextName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    const entry = { name, size, type: type === '0' || type === '7' ? 'file' : type === '5' ? 'directory' : 'other' };
    if (type === 'L' || type === 'x') {
      this.meta = { kind: type, parts: [], entry };
    } else {
      this.nextName = null;
      this.entry = entry;
      this.sink.onEntry(entry);
    }
    this.left = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.endEntry();
  }

  data(bytes) {
    if (this.meta) this.meta.parts.push(bytes.slice());
    else this.sink.onData(this.entry, bytes);
  }

  endEntry() {
    if (this.meta) {
      const value = text.decode(concat(this.meta.parts));
      this.nextName = this.meta.kind === 'L' ? value.replace(/\0.*$/s, '') : paxPath(value) ?? this.nextName;
      this.meta = null;
    } else if (this.entry) {
      this.sink.onEntryEnd(this.entry);
      this.entry = null;
    }
  }
}

function field(h, offset, length) {
  const bytes = h.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return text.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function octal(bytes) {
  const value = text.decode(bytes).replace(/\0.*$/s, '').trim();
  return value ? parseInt(value, 8) : 0;
}

/** Octal, or base-256 (the high bit of the first byte set) for sizes of 8 GiB and more. */
function sizeOf(bytes) {
  if (!(bytes[0] & 0x80)) return octal(bytes);
  let value = bytes[0] & 0x7f;
  for (let i = 1; i < bytes.length; i++) value = value * 256 + bytes[i];
  return value;
}

function checksum(h) {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum;
}

/** The path record of pax extended header data ("<length> path=<value>\n" records). */
function paxPath(records) {
  for (const line of records.split('\n')) {
    const match = /^\d+ path=(.*)$/s.exec(line);
    if (match) return match[1];
  }
  return null;
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) { out.set(part, offset); offset += part.length; }
  return out;
}
