// gzip in the browser with its own decoder. DecompressionStream('gzip') stops after the first member of a
// multi-member file ("Junk found after end of compressed data"), and ExportStudio's tar.gz is a member per
// 2 MiB block, compressed in parallel. So the members are split here and each is given a DecompressionStream
// of its own. Since the field was added, every member's header records its length in an extra subfield
// ('E','S', LEN 4, uint32 little-endian: the whole member), so splitting needs no inflating. Files written
// before that carry no field; their members are found by their boundary instead: every member but the last
// holds exactly one 2 MiB block, so it ends with ISIZE = 00 00 20 00, followed by the next member's
// 1F 8B 08. (By chance inside deflate data that is about 2^-56 per byte; a wrong split fails the member's
// CRC, and the reader says so.) Either way it runs at the native decoder's speed, with no library to load.
import { ByteQueue } from './byte-queue.js';

export class GzipError extends Error {
  constructor(message) { super(message); this.name = 'GzipError'; }
}

const BOUNDARY = Uint8Array.of(0x00, 0x00, 0x20, 0x00, 0x1f, 0x8b, 0x08);
const LOOK_BEHIND = BOUNDARY.length - 1;
const MIN_MEMBER = 18;

/** Yields the inflated bytes of a gzip stream of one or more members. */
export async function* gunzipMembers(chunks) {
  const queue = new ByteQueue(chunks);
  while (await queue.fill(1)) {
    if (!(await queue.fill(10))) throw new GzipError('The gzip data ends inside a member header.');
    const head = queue.peek(10);
    if (head[0] !== 0x1f || head[1] !== 0x8b || head[2] !== 8) throw new GzipError('The data is not gzip (or a member is damaged).');
    const length = (head[3] & 4) ? await recordedLength(queue) : 0;
    const inflate = new DecompressionStream('gzip');
    const writer = inflate.writable.getWriter();
    const feeding = (length ? feedLength(queue, writer, length) : feedToBoundary(queue, writer))
      .then(() => writer.close(), (error) => { writer.abort(error).catch(() => {}); throw error; });
    feeding.catch(() => {});
    const reader = inflate.readable.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        yield value;
      }
    } catch (error) {
      await feeding;   // a truncated file is the better explanation, when it is one
      throw new GzipError(`A gzip member could not be inflated (${error.message}).`);
    } finally {
      reader.releaseLock();
    }
    await feeding;
  }
}

/** The length in the member's 'ES' subfield, or 0 when the header has none. */
async function recordedLength(queue) {
  if (!(await queue.fill(12))) throw new GzipError('The gzip data ends inside a member header.');
  const xlen = queue.at(10) | (queue.at(11) << 8);
  if (!(await queue.fill(12 + xlen))) throw new GzipError('The gzip data ends inside a member header.');
  const extra = queue.peek(12 + xlen).subarray(12);
  for (let p = 0; p + 4 <= extra.length;) {
    const size = extra[p + 2] | (extra[p + 3] << 8);
    if (extra[p] === 0x45 && extra[p + 1] === 0x53 && size === 4 && p + 8 <= extra.length) {
      return (extra[p + 4] | (extra[p + 5] << 8) | (extra[p + 6] << 16) | (extra[p + 7] << 24)) >>> 0;
    }
    p += 4 + size;
  }
  return 0;
}

async function feedLength(queue, writer, length) {
  for (let left = length; left > 0;) {
    if (!queue.length && !(await queue.more())) throw new GzipError('The gzip data ends inside a member.');
    const n = Math.min(left, queue.length);
    for (const part of queue.take(n)) await writer.write(part);
    left -= n;
  }
}

async function feedToBoundary(queue, writer) {
  // The boundary's ISIZE cannot start before the smallest member's would.
  for (let from = MIN_MEMBER - 8; ;) {
    const at = queue.indexOf(BOUNDARY, from);
    if (at >= 0) {
      for (const part of queue.take(at + 4)) await writer.write(part);
      return;
    }
    // Keep the bytes a boundary could start in, then read on; at the end everything left is this member.
    const safe = queue.length - LOOK_BEHIND;
    if (safe > 0) {
      for (const part of queue.take(safe)) await writer.write(part);
      from = Math.max(0, from - safe);
    }
    if (!(await queue.more())) {
      for (const part of queue.take(queue.length)) await writer.write(part);
      return;
    }
  }
}
