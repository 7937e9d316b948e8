// Readers of one export, as the viewer uses them:
//   reader.start(events)  events: layer({ compression, tar }), entry(entry), header(header), sessions(entries),
//                          progress({ compressed, decoded, total }), done(), error(Error)
//   reader.read(entry)    → the session's JSON, parsed
//   reader.stop()
// An entry is what the list shows of a session: { n, id, title, model, createdAt, tags, messages, toolCalls }
// plus whatever the reader needs to find it again. openExport picks the reader for an export: a document
// (or a tar of documents, or a per-session tar.gz / tar.zst) is read as a stream in a worker; a per-session
// zstd archive (a plain tar of a zstd frame per session) by FramedArchiveReader, which reads only the
// manifest at the head of the file and then one frame per session opened, each with one Range request.
import { PartReader } from './session-parts.js';
import { FramedArchiveReader } from './framed-archive.js';

const text = new TextDecoder();

/**
 * @param {{ url: string, documentName: string, framed?: boolean }} source the stored file's address, the
 * document's name, and whether the file is a per-session archive of zstd frames (the server knows the layout).
 */
export function openExport(source) {
  return source.framed ? new FramedArchiveReader(source) : new StreamingExportReader(source);
}

/** The whole file fetched once and decoded as it arrives, in a worker; sessions are read back from Blob parts. */
class StreamingExportReader {
  constructor({ url, documentName }) {
    this.url = new URL(url, document.baseURI).href;
    this.documentName = documentName;
    this.parts = new PartReader();
    this.workers = new Set();
  }

  start(events) {
    const worker = this.spawn();
    worker.onmessage = ({ data }) => {
      switch (data.type) {
        case 'part': this.parts.add(data.index, data.blob); break;
        case 'sessions': events.sessions(data.entries); break;
        case 'layer': events.layer(data); break;
        case 'entry': events.entry(data.entry); break;
        case 'header': events.header(data.header); break;
        case 'progress': events.progress(data); break;
        case 'error': events.error(Object.assign(new Error(data.message), { name: data.name })); this.retire(worker); break;
        case 'done': events.done(); this.retire(worker); break;
      }
    };
    worker.onerror = (event) => { event.preventDefault(); events.error(new Error(`The viewer could not start reading (${event.message || 'its script did not load'}).`)); };
    worker.postMessage({ type: 'start', url: this.url, documentName: this.documentName });
  }

  async read(entry) {
    let bytes;
    try {
      bytes = await this.parts.read(entry.place);
    } catch {
      // The browser could not keep the part (its blob store full, in a private window): read the file again.
      bytes = await this.seek(entry.n);
    }
    return JSON.parse(text.decode(bytes));
  }

  seek(n) {
    return new Promise((resolve, reject) => {
      const worker = this.spawn();
      worker.onmessage = ({ data }) => {
        if (data.type === 'session') resolve(data.bytes);
        else if (data.type === 'error') reject(new Error(data.message));
        else if (data.type === 'done') reject(new Error('The session was not found again in the file.'));
        else return;
        this.retire(worker);
      };
      worker.postMessage({ type: 'start', url: this.url, documentName: this.documentName, seek: n });
    });
  }

  stop() {
    for (const worker of this.workers) worker.terminate();
    this.workers.clear();
  }

  spawn() {
    const worker = new Worker(new URL('./viewer-worker.js', import.meta.url), { type: 'module', name: 'export viewer' });
    this.workers.add(worker);
    return worker;
  }

  retire(worker) {
    worker.terminate();
    this.workers.delete(worker);
  }
}
