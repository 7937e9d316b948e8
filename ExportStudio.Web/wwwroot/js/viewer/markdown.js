// Message text as Markdown, rendered safely without a sanitizer: nothing here ever parses HTML. Elements are
// made with createElement and text is set as text nodes, so markup in the content (<script>, <img onerror>,
// raw HTML blocks) is shown as the characters it is. Links are made only for http:, https: and mailto:
// addresses; anything else (javascript:, data:, vbscript:, …) stays plain text. Covered: fenced code,
// headings (shown as bold lines, so the page's own heading outline stays intact), lists, quotes, rules,
// paragraphs with their line breaks, and inline code, bold, italic and links.
import { h } from './dom.js';

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const INLINE = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*([^*\n]+)\*\*|(?<!\w)__([^_\n]+)__(?!\w)|\*([^*\s][^*\n]*)\*|(?<!\w)_([^_\s][^_\n]*)_(?!\w)|\[([^\]\n]+)\]\(([^()\s]+)\)|<((?:https?:\/\/|mailto:)[^>\s]+)>|\b(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"\]])/g;

/** A DocumentFragment for the text. */
export function renderMarkdown(source) {
  const out = document.createDocumentFragment();
  const lines = String(source).split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length;) {
    const line = lines[i];
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      const code = [];
      for (i++; i < lines.length && !closes(lines[i], fence[1]); i++) code.push(lines[i]);
      i++;
      out.append(h('pre', {}, h('code', {}, code.join('\n'))));
    } else if (!line.trim()) {
      i++;
    } else if (/^ {0,3}#{1,6}\s/.test(line)) {
      out.append(h('p', { class: 'md-heading' }, h('strong', {}, inline(line.replace(/^ {0,3}#{1,6}\s+|\s+#+\s*$/g, '')))));
      i++;
    } else if (/^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.append(h('hr'));
      i++;
    } else if (/^ {0,3}>/.test(line)) {
      const quoted = [];
      for (; i < lines.length && /^ {0,3}>/.test(lines[i]); i++) quoted.push(lines[i].replace(/^ {0,3}> ?/, ''));
      out.append(h('blockquote', {}, renderMarkdown(quoted.join('\n'))));
    } else if (listItem(line)) {
      i = list(lines, i, out);
    } else {
      const paragraph = [];
      for (; i < lines.length && lines[i].trim() && !startsBlock(lines[i]); i++) paragraph.push(lines[i]);
      out.append(h('p', {}, withBreaks(paragraph)));
    }
  }
  return out;
}

function closes(line, fence) {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return !!match && match[1][0] === fence[0] && match[1].length >= fence.length;
}

function startsBlock(line) {
  return /^ {0,3}(`{3,}|~{3,}|#{1,6}\s|>)/.test(line) || !!listItem(line);
}

function listItem(line) {
  return /^ {0,3}([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line);
}

function list(lines, i, out) {
  const ordered = /\d/.test(listItem(lines[i])[1]);
  const element = h(ordered ? 'ol' : 'ul');
  let item = null;
  for (; i < lines.length; i++) {
    const match = listItem(lines[i]);
    if (match && /\d/.test(match[1]) === ordered) {
      item = [match[2]];
      element.append(h('li'));
    } else if (item && lines[i].trim() && /^\s{2,}/.test(lines[i])) {
      item.push(lines[i].trim());
    } else {
      break;
    }
    element.lastChild.replaceChildren(withBreaks(item));
  }
  out.append(element);
  return i;
}

function withBreaks(lines) {
  const out = document.createDocumentFragment();
  lines.forEach((line, k) => {
    if (k) out.append(h('br'));
    out.append(inline(line));
  });
  return out;
}

/** Inline code, emphasis and links; everything else is text. */
function inline(text) {
  const out = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    out.append(text.slice(last, match.index));
    last = match.index + match[0].length;
    const [all, , code, bold, bold2, italic, italic2, label, target, angled, bare] = match;
    if (code !== undefined) out.append(h('code', {}, code));
    else if (bold ?? bold2) out.append(h('strong', {}, bold ?? bold2));
    else if (italic ?? italic2) out.append(h('em', {}, italic ?? italic2));
    else if (label !== undefined) out.append(link(target, label) ?? all);
    else out.append(link(angled ?? bare, angled ?? bare) ?? all);
  }
  out.append(text.slice(last));
  return out;
}

/** An anchor for a safe absolute address, or null (the caller then shows the text as written). */
function link(address, label) {
  let url;
  try { url = new URL(address); } catch { return null; }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  return h('a', { href: url.href, rel: 'noopener noreferrer nofollow', target: '_blank' }, label);
}
