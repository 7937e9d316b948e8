// Decompresses a stored zstd export for the Original button, off the page's thread: into the file the person
// chose (a FileSystemFileHandle, written as the bytes come), or into a Blob. The Blob is rebuilt from the
// previous one and the new chunks every 32 MiB, which moves the bytes into the browser's blob store instead
// of keeping every chunk in this worker's memory until the end.
import { decompressStream } from '../../lib/zstd-stream/zstd-stream.js';

const FOLD_BYTES = 32 << 20;
const PROGRESS_MS = 250;

self.onmessage = async ({ data: { url, handle, type } }) => {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`);
    let bytes = 0, reported = 0;
    const counted = async function* () {
      for await (const chunk of decompressStream(response.body)) {
        bytes += chunk.length;
        if (performance.now() - reported >= PROGRESS_MS) { reported = performance.now(); self.postMessage({ type: 'progress', bytes }); }
        yield chunk;
      }
    };
    if (handle) {
      const file = await handle.createWritable();
      try {
        for await (const chunk of counted()) await file.write(chunk);
        await file.close();
      } catch (error) {
        await file.abort().catch(() => {});
        throw error;
      }
      self.postMessage({ type: 'done', bytes });
      return;
    }
    let blob = new Blob([]), parts = [], pending = 0;
    for await (const chunk of counted()) {
      parts.push(chunk);
      pending += chunk.length;
      if (pending >= FOLD_BYTES) { blob = new Blob([blob, ...parts]); parts = []; pending = 0; }
    }
    self.postMessage({ type: 'done', bytes, blob: new Blob([blob, ...parts], { type: type || 'application/octet-stream' }) });
  } catch (error) {
    self.postMessage({ type: 'error', message: error.message });
  }
};
