// Elements for the viewer, built with the DOM's own methods and never from HTML strings: attributes are set
// one by one and children are nodes or text, so text from an export can only ever be text.

/**
 * h('button', { class: 'x', type: 'button', onclick: fn, hidden: true }, 'text', node, …)
 * A value of null, undefined or false leaves the attribute out; a function names an event handler.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** "12,345", in the page's language. */
export const number = (n) => Number(n).toLocaleString();

/** "2026-03-04 05:06" in local time, the UTC time on hover (a time element). */
export function time(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return document.createTextNode(String(iso ?? ''));
  const pad = (n) => String(n).padStart(2, '0');
  const local = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return h('time', { datetime: date.toISOString(), title: date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') }, local);
}

/** "14.2 KB", "3.40 MB": powers of 1024 with the precision the app's pages use. */
export function bytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number(n), unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${units[unit]}`;
}
