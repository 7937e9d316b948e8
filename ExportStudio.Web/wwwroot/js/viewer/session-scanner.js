// Finds the sessions in an export document as its bytes are decoded, one session at a time, without parsing
// the document: the JSON document is {"version":1,…,"sessions":[{…},{…}]} and JSON Lines one session object
// per line. The scanner only follows strings and nesting; inside a string it jumps from quote to quote with
// indexOf, so the text that makes up most of an export is skipped at memory speed. Each session is handed on
// as views of the decoded chunks it spans (the chunks are fresh copies from the decoder, never reused).
const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d;
const MAX_HEADER = 1 << 20;
const text = new TextDecoder();

export class DocumentError extends Error {
  constructor(message) { super(message); this.name = 'DocumentError'; }
}

export class SessionScanner {
  /**
   * @param {'document' | 'lines'} mode
   * @param {{ onHeader(header: object): void, onSession(parts: Uint8Array[], length: number, offset: number): void }} sink
   */
  constructor(mode, sink) {
    this.sink = sink;
    this.mode = mode;
    // Nesting at which session objects open: inside the document object's sessions array, or at the top.
    this.sessionDepth = mode === 'document' ? 2 : 0;
    this.phase = mode === 'document' ? 'header' : 'sessions';
    this.depth = 0;
    this.inString = false;
    this.backslashes = 0;   // a run of backslashes that ended the previous chunk inside a string
    this.keyStart = -1;     // where the header's current key starts in this chunk
    this.keyPrefix = null;  // the part of that key in earlier chunks
    this.lastKey = '';
    this.header = [];
    this.headerLength = 0;
    this.parts = null;      // the views of the session being read
    this.partsLength = 0;
    this.sessionOffset = 0;
    this.offset = 0;        // where the current chunk starts in the document
  }

  push(chunk) {
    let i = 0, from = this.parts ? 0 : -1;
    const n = chunk.length;
    while (i < n) {
      if (this.inString) {
        const quote = chunk.indexOf(QUOTE, i);
        if (quote < 0) {
          this.backslashes = trailingBackslashes(chunk, i, n, this.backslashes);
          i = n;
          break;
        }
        let run = 0, j = quote - 1;
        while (j >= i && chunk[j] === BACKSLASH) { run++; j--; }
        if (j < i && i === 0) run += this.backslashes;
        this.backslashes = 0;
        if (run % 2 === 1) { i = quote + 1; continue; }
        this.inString = false;
        if (this.keyStart >= 0) {
          this.lastKey = text.decode(joined(this.keyPrefix, chunk.subarray(this.keyStart, quote)));
          this.keyPrefix = null;
        }
        i = quote + 1;
        continue;
      }
      const c = chunk[i];
      if (c === QUOTE) {
        this.inString = true;
        this.backslashes = 0;
        this.keyStart = this.phase === 'header' && this.depth === 1 ? i + 1 : -1;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (this.phase === 'sessions' && this.depth === this.sessionDepth) {
          if (c !== OPEN_OBJECT) throw new DocumentError('A session in the export is not a JSON object.');
          this.parts = [];
          this.partsLength = 0;
          this.sessionOffset = this.offset + i;
          from = i;
        } else if (this.phase === 'header' && c === OPEN_ARRAY && this.depth === 1 && this.lastKey === 'sessions') {
          this.phase = 'sessions';
          this.collectHeader(chunk.subarray(0, i + 1));
        }
        this.depth++;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        this.depth--;
        if (this.depth < 0) throw new DocumentError('The export is not valid JSON (a bracket closes that was never opened).');
        if (this.parts && this.depth === this.sessionDepth) {
          this.add(chunk.subarray(from, i + 1));
          this.sink.onSession(this.parts, this.partsLength, this.sessionOffset);
          this.parts = null;
          from = -1;
        } else if (this.phase === 'sessions' && this.mode === 'document' && this.depth === this.sessionDepth - 1) {
          this.phase = 'after';
        }
      }
      i++;
    }
    if (this.parts && from >= 0) this.add(chunk.subarray(from));
    if (this.inString && this.keyStart >= 0) {
      // A key cut by the chunk's end: keep its start for when its closing quote arrives.
      this.keyPrefix = joined(this.keyPrefix, chunk.subarray(this.keyStart));
      this.keyStart = 0;
    }
    if (this.phase === 'header') this.collectHeader(chunk);
    this.offset += n;
  }

  /** Call at the end of the document: one cut short is an error, not a shorter list. */
  finish() {
    if (this.parts || this.inString || this.depth !== 0 || this.phase === 'header' || (this.mode === 'document' && this.phase !== 'after')) {
      throw new DocumentError('The export ends in the middle of the document: the file is incomplete.');
    }
  }

  add(view) {
    this.parts.push(view);
    this.partsLength += view.length;
  }

  /** The document's own fields (version, exportedAt, sessionCount, …): everything before the sessions. */
  collectHeader(bytes) {
    this.header.push(bytes);
    this.headerLength += bytes.length;
    if (this.phase === 'header') {
      if (this.headerLength > MAX_HEADER) throw new DocumentError('This is not an ExportStudio JSON document (no sessions list near its start).');
      return;
    }
    const all = this.header.reduce(joined, null);
    this.header = null;
    try {
      this.sink.onHeader(JSON.parse(text.decode(all).trimStart() + ']}'));
    } catch {
      throw new DocumentError('The start of the export is not the JSON document ExportStudio writes.');
    }
  }
}

/** How many backslashes end chunk[from..end), counting those before it when the whole span is backslashes. */
function trailingBackslashes(chunk, from, end, before) {
  let run = 0;
  for (let j = end - 1; j >= from && chunk[j] === BACKSLASH; j--) run++;
  return run === end - from && from === 0 ? before + run : run;
}

function joined(before, bytes) {
  if (!before) return bytes.slice();
  const out = new Uint8Array(before.length + bytes.length);
  out.set(before);
  out.set(bytes, before.length);
  return out;
}
