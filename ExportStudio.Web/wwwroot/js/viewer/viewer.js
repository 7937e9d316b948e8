// The export viewer, mounted by the Blazor page into an element it leaves to this module: it reads the stored
// file in the browser (export-reader.js), lists its sessions as they are found (session-list.js) and shows
// the one chosen as a transcript (transcript.js). The server only serves the file as stored.
import { openExport } from './export-reader.js';
import { SessionList } from './session-list.js';
import { showSession, showText, showPlaceholder } from './transcript.js';
import { SessionText } from './framed-archive.js';
import { h, number, bytes } from './dom.js';

/**
 * @param {HTMLElement} root
 * @param {{ url: string, documentName: string, framed?: boolean }} source
 * @returns {{ dispose(): void }}
 */
export function mount(root, source) {
  performance.mark('viewer:start');
  const reader = openExport(source);
  const status = h('p', { class: 'viewer-status', role: 'status', 'data-testid': 'viewer-status' }, 'Reading the export…');
  const bar = h('progress', { class: 'viewer-bar', 'aria-label': 'Part of the file read' });
  const figures = h('span', { class: 'viewer-muted', 'data-testid': 'viewer-progress' });
  const entries = h('ul', { class: 'viewer-entries-list', 'data-testid': 'archive-entries' });
  const archive = h('section', { class: 'viewer-entries', 'aria-labelledby': 'viewer-entries-title', hidden: true },
    h('h2', { id: 'viewer-entries-title' }, 'Files in the archive'), entries);
  const transcript = h('section', { class: 'viewer-transcript', 'aria-labelledby': 'viewer-transcript-title', 'data-testid': 'transcript' });
  let opening = 0;
  const list = new SessionList(async (entry) => {
    const ticket = ++opening;
    list.select(entry);
    try {
      const session = await reader.read(entry);
      if (ticket === opening) (session instanceof SessionText ? showText : showSession)(transcript, session, entry);
    } catch (error) {
      if (ticket === opening) showPlaceholder(transcript, `This session could not be read: ${error.message}`);
    }
  });
  showPlaceholder(transcript, 'Choose a session from the list to read it here.');
  root.replaceChildren(status, h('p', { class: 'viewer-progress' }, bar, ' ', figures), archive,
    h('div', { class: 'viewer-columns' }, list.element, transcript));
  root.dataset.state = 'reading';

  let found = 0, first = false, sizes = { compressed: 0, decoded: 0, total: 0 };
  const describe = (layer) => [layer.compression === 'zstd' ? 'zstd' : layer.compression === 'gzip' ? 'gzip' : null, layer.tar ? 'tar' : null].filter(Boolean).join(' + ');
  const show = () => {
    if (sizes.total) { bar.max = sizes.total; bar.value = sizes.compressed; }
    figures.textContent = `${bytes(sizes.compressed)}${sizes.total ? ` of ${bytes(sizes.total)}` : ''} read, ${bytes(sizes.decoded)} decompressed · ${number(found)} sessions`;
  };
  reader.start({
    layer: (layer) => { root.dataset.layer = describe(layer) || 'none'; },
    entry: (entry) => {
      archive.hidden = false;
      entries.append(h('li', { 'data-testid': 'archive-entry' }, h('code', {}, entry.name), ` · ${bytes(entry.size)}`,
        entry.note ? ` · ${entry.note}` : entry.opened ? ' · listed below' : entry.type === 'file' ? ' · not a session document' : ''));
    },
    header: (header) => { if (Number.isFinite(header.sessionCount)) list.expect(header.sessionCount); },
    sessions: (batch) => {
      found += batch.length;
      list.add(batch);
      root.dataset.sessions = String(found);
      if (!first) {
        first = true;
        requestAnimationFrame(() => performance.mark('viewer:first-session'));
      }
      show();
    },
    progress: (progress) => { sizes = progress; show(); },
    done: () => {
      list.expect(found);
      bar.max = 1; bar.value = 1;
      status.textContent = `All ${number(found)} sessions read.`;
      root.dataset.state = 'done';
      performance.mark('viewer:done');
      show();
    },
    error: (error) => {
      status.setAttribute('role', 'alert');
      status.textContent = `The export could not be read: ${error.message}`;
      root.dataset.state = 'error';
    },
  });
  return {
    dispose() {
      reader.stop();
      root.replaceChildren();
    },
  };
}
