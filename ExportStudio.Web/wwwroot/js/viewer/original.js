// The Original button, done by the browser: for a person whose browser does not accept zstd as a content
// encoding (the server would otherwise have to decompress the file), the page marks the button with
// data-decompress-in-browser. A click then fetches the file as stored, decompresses it in a worker and saves
// it: streamed into the file the person picks where the browser can (showSaveFilePicker), otherwise as a
// download of a Blob built in 32 MiB steps. Without this script the link still works: the server decompresses.
const status = () => {
  let element = document.getElementById('original-status');
  if (!element) {
    element = Object.assign(document.createElement('div'), { id: 'original-status' });
    element.setAttribute('role', 'status');
    element.dataset.testid = 'original-status';
    Object.assign(element.style, {
      position: 'fixed', bottom: '1rem', right: '1rem', maxWidth: '28rem', padding: '.5rem 1rem', zIndex: 1500, borderRadius: '4px',
      background: 'var(--mud-palette-surface)', color: 'var(--mud-palette-text-primary)', border: '1px solid var(--mud-palette-text-primary)',
    });
    (document.querySelector('main') ?? document.body).append(element);
  }
  return element;
};
const say = (text) => { status().textContent = text; };

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-decompress-in-browser]') : null;
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  save(link).catch((error) => say(`${link.dataset.fileName} could not be saved: ${error.message}`));
});

async function save(link) {
  if (link.getAttribute('aria-busy') === 'true') return;
  const { storedUrl, fileName, contentType } = link.dataset;
  let handle = null;
  if (typeof window.showSaveFilePicker === 'function') {
    try {
      handle = await window.showSaveFilePicker({ suggestedName: fileName });
    } catch (error) {
      if (error.name === 'AbortError') return;   // the person closed the dialog
    }
  }
  link.setAttribute('aria-busy', 'true');
  say(`Decompressing ${fileName} in your browser…`);
  try {
    const result = await inWorker({ url: new URL(storedUrl, document.baseURI).href, handle, type: contentType }, (bytes) => say(`Decompressing ${fileName} in your browser: ${(bytes / 1e6).toFixed(0)} MB so far…`));
    if (result.blob) download(result.blob, fileName);
    say(`${fileName} saved (${result.bytes.toLocaleString()} bytes, decompressed in your browser).`);
  } finally {
    link.removeAttribute('aria-busy');
  }
}

function inWorker(job, progress) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./original-worker.js', import.meta.url), { type: 'module', name: 'original download' });
    worker.onmessage = ({ data }) => {
      if (data.type === 'progress') return progress(data.bytes);
      worker.terminate();
      if (data.type === 'done') resolve(data);
      else reject(new Error(data.message));
    };
    worker.onerror = (event) => { event.preventDefault(); worker.terminate(); reject(new Error(event.message || 'the decompressor did not start')); };
    worker.postMessage(job);
  });
}

function download(blob, name) {
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

document.documentElement.dataset.originalInBrowser = 'ready';
