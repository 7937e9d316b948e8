// The list of an export's sessions: growing while the file is read, searchable by title, model, tags and
// id, shown a page at a time (a 1 GB export holds a hundred thousand sessions; the page builds fifty rows).
import { h, time, number } from './dom.js';

const PAGE = 50;

export class SessionList {
  /** @param {(entry) => void} onOpen */
  constructor(onOpen) {
    this.onOpen = onOpen;
    this.entries = [];
    this.matches = this.entries;
    this.query = '';
    this.page = 0;
    this.current = null;
    this.expected = null;
    this.pending = false;
    const search = h('input', {
      type: 'search', id: 'viewer-search', class: 'viewer-search', autocomplete: 'off', 'data-testid': 'viewer-search',
      oninput: () => this.search(search.value),
    });
    this.count = h('p', { class: 'viewer-muted', 'data-testid': 'viewer-count' });
    this.list = h('ol', { class: 'viewer-list', 'data-testid': 'session-list', 'aria-labelledby': 'viewer-sessions-title' });
    this.previous = h('button', { type: 'button', class: 'viewer-button', onclick: () => this.go(this.page - 1) }, 'Previous page');
    this.next = h('button', { type: 'button', class: 'viewer-button', onclick: () => this.go(this.page + 1) }, 'Next page');
    this.pageText = h('span', { class: 'viewer-muted' });
    this.element = h('section', { class: 'viewer-sessions', 'aria-labelledby': 'viewer-sessions-title' },
      h('h2', { id: 'viewer-sessions-title' }, 'Sessions'),
      h('label', { for: 'viewer-search' }, 'Search titles, models, tags and ids'),
      search, this.count, this.list,
      h('nav', { class: 'viewer-pages', 'aria-label': 'Pages of sessions' }, this.previous, this.pageText, this.next));
    this.render();
  }

  /** How many sessions the document says it holds (from its header), for the count while reading. */
  expect(count) {
    this.expected = count;
    this.schedule();
  }

  add(entries) {
    this.entries.push(...entries);
    if (this.query) this.matches.push(...entries.filter((entry) => matches(entry, this.query)));
    this.schedule();
  }

  search(query) {
    this.query = query.trim().toLowerCase();
    this.matches = this.query ? this.entries.filter((entry) => matches(entry, this.query)) : this.entries;
    this.page = 0;
    this.render();
  }

  go(page) {
    this.page = Math.max(0, Math.min(page, this.pages() - 1));
    this.render();
    this.list.querySelector('button')?.focus();
  }

  select(entry) {
    this.current = entry;
    for (const button of this.list.querySelectorAll('button')) {
      if (button.dataset.n === String(entry.n)) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }

  pages() {
    return Math.max(1, Math.ceil(this.matches.length / PAGE));
  }

  /** Renders at most once a frame, however often batches arrive. */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.render(); });
  }

  render() {
    const start = this.page * PAGE;
    const shown = this.matches.slice(start, start + PAGE);
    const same = this.list.dataset.start === String(start) && this.list.dataset.query === this.query;
    if (same && this.list.childElementCount < shown.length) {
      // Rows arriving on the page being looked at are added, so a focused row keeps its focus.
      this.list.append(...shown.slice(this.list.childElementCount).map((entry) => this.row(entry)));
    } else if (!same || this.list.childElementCount !== shown.length) {
      this.list.replaceChildren(...shown.map((entry) => this.row(entry)));
      this.list.dataset.start = String(start);
      this.list.dataset.query = this.query;
    }
    const total = this.expected !== null && this.entries.length < this.expected ? ` (${number(this.entries.length)} of ${number(this.expected)} read so far)` : '';
    this.count.textContent = this.matches.length
      ? `Showing ${number(start + 1)}–${number(start + shown.length)} of ${number(this.matches.length)} ${this.query ? 'matching ' : ''}sessions${total}`
      : this.query ? `No session matches “${this.query}”${total}.` : `No sessions yet${total}.`;
    this.pageText.textContent = ` Page ${number(this.page + 1)} of ${number(this.pages())} `;
    this.previous.disabled = this.page === 0;
    this.next.disabled = this.page >= this.pages() - 1;
  }

  row(entry) {
    const details = [entry.model, entry.messages === null ? null : `${number(entry.messages)} messages`, entry.tags.length ? entry.tags.join(', ') : null].filter(Boolean);
    const button = h('button', { type: 'button', class: 'viewer-row', 'data-n': entry.n, 'data-testid': 'session-row', onclick: () => this.onOpen(entry) },
      h('span', { class: 'viewer-row-title' }, entry.title || '(untitled)'),
      h('span', { class: 'viewer-muted' }, time(entry.createdAt), details.length ? ` · ${details.join(' · ')}` : ''));
    if (this.current?.n === entry.n) button.setAttribute('aria-current', 'true');
    return h('li', {}, button);
  }
}

function matches(entry, query) {
  entry.key ??= `${entry.title}\n${entry.model}\n${entry.tags.join('\n')}\n${entry.id}`.toLowerCase();
  return entry.key.includes(query);
}
