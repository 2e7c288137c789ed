import type { XElement } from '../xml/xml-tree.js';
import { UBL_PREFIXES } from './ubl-namespaces.js';

/** An element of a parsed UBL document (the tree of xml/xml-tree.ts). */
export type UblElement = XElement;
type Element = XElement;

interface QName {
  readonly ns: string | null;
  readonly local: string;
}

const qnameCache = new Map<string, QName>();

/**
 * Resolves `prefix:local` with the UBL prefixes (`cbc`, `cac`, `ext`, `ubl`, `cn`); a name without
 * prefix matches by local name in any namespace. Throws `Error` on an unknown prefix (programming error).
 */
function resolve(qname: string): QName {
  let q = qnameCache.get(qname);
  if (q) return q;
  const i = qname.indexOf(':');
  if (i < 0) {
    q = { ns: null, local: qname };
  } else {
    const ns = UBL_PREFIXES[qname.slice(0, i)];
    if (ns === undefined) throw new Error(`unknown UBL prefix in ${qname}`);
    q = { ns, local: qname.slice(i + 1) };
  }
  qnameCache.set(qname, q);
  return q;
}

function matches(el: Element, q: QName): boolean {
  return el.localName === q.local && (q.ns === null || el.namespaceURI === q.ns);
}

const stepsCache = new Map<string, string[]>();
/** `a/b/c` split once per distinct path. */
function steps(path: string): string[] {
  let s = stepsCache.get(path);
  if (!s) stepsCache.set(path, (s = path.split('/')));
  return s;
}

/**
 * First child element of `el` named `qname` (e.g. `'cac:AccountingSupplierParty'`), or `undefined`.
 * Only direct children are looked at (no descendants). Prefixes: cbc, cac, ext, ubl, cn.
 */
export function child(el: Element | null | undefined, qname: string): Element | undefined {
  if (!el) return undefined;
  const q = resolve(qname);
  for (const k of el.elements) if (matches(k, q)) return k;
  return undefined;
}

/** All direct child elements of `el` named `qname`, in document order (empty array if none). */
export function children(el: Element | null | undefined, qname: string): Element[] {
  const out: Element[] = [];
  if (!el) return out;
  const q = resolve(qname);
  for (const k of el.elements) if (matches(k, q)) out.push(k);
  return out;
}

/**
 * Follows a `/`-separated path of child names (`'cac:Party/cac:PartyTaxScheme/cbc:CompanyID'`),
 * taking the first match at each step; `undefined` as soon as a step is missing.
 */
export function childAt(el: Element | null | undefined, path: string): Element | undefined {
  let cur: Element | undefined = el ?? undefined;
  for (const step of steps(path)) {
    cur = child(cur, step);
    if (!cur) return undefined;
  }
  return cur;
}

/**
 * All elements reached by a `/`-separated path of child names, fanning out at every step
 * (like the XPath `a/b/c` relative to `el`).
 */
export function childrenAt(el: Element | null | undefined, path: string): Element[] {
  let cur: Element[] = el ? [el] : [];
  for (const step of steps(path)) {
    const next: Element[] = [];
    for (const c of cur) for (const k of children(c, step)) next.push(k);
    cur = next;
    if (cur.length === 0) break;
  }
  return cur;
}

/** Full text content of `el` with leading/trailing whitespace removed; `undefined` if `el` is absent. */
export function ownText(el: Element | null | undefined): string | undefined {
  if (!el) return undefined;
  return (el.textContent ?? '').trim();
}

/**
 * Trimmed text of the first child (or `/`-path, see {@link childAt}) named `qname` of `el`,
 * e.g. `text(invoice, 'cbc:ID')`. `undefined` when the element is absent; `''` when it is empty.
 */
export function text(el: Element | null | undefined, qname: string): string | undefined {
  return ownText(qname.includes('/') ? childAt(el, qname) : child(el, qname));
}

/** Value of attribute `name` of `el` (no namespace), or `undefined` if absent. */
export function attr(el: Element | null | undefined, name: string): string | undefined {
  if (!el || !el.hasAttribute(name)) return undefined;
  return el.getAttribute(name) ?? undefined;
}
