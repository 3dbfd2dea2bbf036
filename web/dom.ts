// Tiny DOM helpers. Everything the page shows from the network (invoice descriptions, peer
// messages, error text) goes in as text nodes, never as HTML.

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | undefined>;

/** Creates an element: boolean attributes are set when true, strings as given, undefined skipped. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === true) el.setAttribute(k, '');
    else if (typeof v === 'string') el.setAttribute(k, v);
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** The element with this id, checked to be of the expected class (a page/markup mismatch is a bug). */
export function byId<T extends HTMLElement>(id: string, ctor: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof ctor)) throw new Error(`#${id} is missing or not a ${ctor.name}`);
  return el;
}

/** The checked radio's value in a named group of a form. */
export function radioValue(form: HTMLFormElement, name: string): string {
  const checked = form.querySelector<HTMLInputElement>(`input[type="radio"][name="${name}"]:checked`);
  return checked?.value ?? '';
}

/** A definition list from label/value pairs (values may be nodes, e.g. <code>). */
export function definitionList(items: readonly (readonly [string, Child])[], className?: string): HTMLDListElement {
  const dl = h('dl', { class: className });
  for (const [label, value] of items) append(dl, h('dt', {}, label), h('dd', {}, value));
  return dl;
}

/** Sets a message region's text and shows it; empty text hides it. */
export function setMessage(el: HTMLElement, text: string): void {
  el.textContent = text;
  el.hidden = text === '';
}

/**
 * A table cell that also carries its column name, so narrow screens can show each row as a card
 * (CSS prints data-label before the value). The explicit role keeps table semantics for screen
 * readers even when the CSS changes the cells' display.
 */
export function cell(label: string, attrs: Attrs, ...children: Child[]): HTMLTableCellElement {
  // One wrapper, so the card layout sees a single value next to the label.
  return h('td', { ...attrs, role: 'cell', 'data-label': label }, h('span', { class: 'cell-value' }, ...children));
}

export function tableRow(attrs: Attrs, ...cells: HTMLTableCellElement[]): HTMLTableRowElement {
  return h('tr', { ...attrs, role: 'row' }, ...cells);
}
