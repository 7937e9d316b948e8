// Bytes arriving in chunks, read from the front: what a reader of framed data (gzip members) needs to look
// ahead a few bytes and then hand on exact lengths without copying the chunks.
export class ByteQueue {
  constructor(source) {
    this.source = source[Symbol.asyncIterator]();
    this.chunks = [];
    this.length = 0;
    this.ended = false;
  }

  /** Reads from the source until at least n bytes are queued; false if it ends first. */
  async fill(n) {
    while (this.length < n && !this.ended) {
      const { done, value } = await this.source.next();
      if (done) this.ended = true;
      else if (value.length) { this.chunks.push(value); this.length += value.length; }
    }
    return this.length >= n;
  }

  /** Reads one more chunk from the source; false at its end. */
  more() {
    return this.fill(this.length + 1);
  }

  /** The byte at position i of the queue (i < length). */
  at(i) {
    for (const chunk of this.chunks) {
      if (i < chunk.length) return chunk[i];
      i -= chunk.length;
    }
    return undefined;
  }

  /** A copy of the first n queued bytes (n ≤ length), for headers. */
  peek(n) {
    const out = new Uint8Array(n);
    let filled = 0;
    for (const chunk of this.chunks) {
      if (filled === n) break;
      const part = chunk.subarray(0, n - filled);
      out.set(part, filled);
      filled += part.length;
    }
    return out;
  }

  /** Removes the first n bytes (n ≤ length) and returns them as views of the queued chunks. */
  take(n) {
    const out = [];
    while (n > 0) {
      const chunk = this.chunks[0];
      if (chunk.length <= n) { out.push(this.chunks.shift()); n -= chunk.length; this.length -= chunk.length; }
      else { out.push(chunk.subarray(0, n)); this.chunks[0] = chunk.subarray(n); this.length -= n; n = 0; }
    }
    return out;
  }

  /** Position of the first byte sequence `pattern` at or after `from`, or -1 (searches what is queued). */
  indexOf(pattern, from) {
    let base = 0;
    for (const chunk of this.chunks) {
      let i = Math.max(0, from - base);
      while ((i = chunk.indexOf(pattern[0], i)) >= 0) {
        let k = 1;
        while (k < pattern.length && this.at(base + i + k) === pattern[k]) k++;
        if (k === pattern.length) return base + i;
        i++;
      }
      base += chunk.length;
    }
    return -1;
  }
}
