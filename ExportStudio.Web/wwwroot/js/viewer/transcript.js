// One session shown as a conversation: a heading, what the session is, then each message with its role and
// time, its text as safe Markdown and its tool calls folded. Long sessions are shown a hundred messages at
// a time, so opening one never builds an enormous page at once.
import { h, time, number } from './dom.js';
import { renderMarkdown } from './markdown.js';

const PAGE = 100;
const ROLES = { user: 'User', assistant: 'Assistant', system: 'System', tool: 'Tool' };

/** Replaces the content of `region` with the session; focus moves to its heading. */
export function showSession(region, session, entry) {
  const title = String(session.title ?? '') || '(untitled)';
  const heading = h('h2', { id: 'viewer-transcript-title', tabindex: '-1', 'data-testid': 'transcript-title' }, title);
  const tags = Array.isArray(session.tags) && session.tags.length ? ` · ${session.tags.join(', ')}` : '';
  const meta = h('p', { class: 'viewer-meta' },
    `${session.model ?? ''}${tags} · started `, time(session.createdAt), ' · updated ', time(session.updatedAt),
    ` · session ${session.id ?? ''}`);
  const messages = Array.isArray(session.messages) ? session.messages : [];
  const list = h('ol', { class: 'viewer-messages', 'aria-label': `Messages (${number(messages.length)})` });
  const more = h('button', { type: 'button', class: 'viewer-button', hidden: true });
  let shown = 0;
  const showMore = () => {
    const next = messages.slice(shown, shown + PAGE);
    list.append(...next.map((message, k) => messageItem(message, shown + k + 1)));
    shown += next.length;
    more.hidden = shown >= messages.length;
    more.textContent = `Show ${number(Math.min(PAGE, messages.length - shown))} more of ${number(messages.length - shown)} messages`;
  };
  more.addEventListener('click', showMore);
  showMore();
  region.replaceChildren(heading, meta,
    session.metadata !== undefined ? folded('Metadata', session.metadata) : null,
    session.messages === undefined ? h('p', {}, 'This export was made without messages.') : messages.length ? list : h('p', {}, 'This session has no messages.'),
    more);
  region.dataset.session = entry?.id ?? '';
  heading.focus();
}

function messageItem(message, number) {
  const role = String(message.role ?? '');
  const calls = Array.isArray(message.toolCalls) ? message.toolCalls : [];
  return h('li', { class: `viewer-message role-${role.replace(/[^a-z]/g, '')}`, 'data-testid': 'message' },
    h('h3', {}, `${number}. ${ROLES[role] ?? role} · `, time(message.createdAt)),
    h('div', { class: 'viewer-text', 'data-testid': 'message-text' }, renderMarkdown(message.content ?? '')),
    calls.map((call) => folded(`Tool call ${call.name ?? ''}`, { arguments: call.arguments, result: call.result ?? null }, call.id)));
}

/** A value as indented JSON inside details, closed until asked for. */
function folded(label, value, note) {
  return h('details', { class: 'viewer-details' },
    h('summary', {}, label, note ? h('span', { class: 'viewer-muted' }, ` ${note}`) : null),
    h('pre', {}, h('code', {}, JSON.stringify(value, null, 2) ?? 'null')));
}

/**
 * A session archived only as CSV, Markdown or HTML (per-session archives): its document as plain text (an
 * HTML document's markup shown, never parsed), with the formats that open as a transcript named.
 */
export function showText(region, document, entry) {
  const heading = h('h2', { id: 'viewer-transcript-title', tabindex: '-1', 'data-testid': 'transcript-title' }, entry?.title || '(untitled)');
  region.replaceChildren(heading,
    h('p', { class: 'viewer-meta' }, `session ${entry?.id ?? ''} · its ${document.format} document as text (JSON and JSON Lines documents open as a transcript)`),
    h('pre', { class: 'viewer-document', 'data-testid': 'document-text' }, document.text));
  region.dataset.session = entry?.id ?? '';
  heading.focus();
}

/** What the region shows before a session is chosen, or when one cannot be read. */
export function showPlaceholder(region, text) {
  region.replaceChildren(h('h2', { id: 'viewer-transcript-title', tabindex: '-1' }, 'Transcript'), h('p', { class: 'viewer-muted' }, text));
  delete region.dataset.session;
}
