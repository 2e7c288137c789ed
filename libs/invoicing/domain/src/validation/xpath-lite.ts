import Decimal from 'decimal.js';
import type { XElement as Element } from '../xml/xml-tree.js';
import { attr, children } from '../ubl/ubl-dom.js';
import { UBL_PREFIXES } from '../ubl/ubl-namespaces.js';

/**
 * XPath `normalize-space()`: strips leading and trailing XML whitespace (#x20, #x9, #xD, #xA only:
 * a no-break space stays, unlike `String.prototype.trim`) and collapses inner runs to one space.
 * `undefined` -> `''`. Source: XPath 2.0 F&O §7.4.11.
 */
export function normalizeSpace(s: string | undefined | null): string {
  if (!s) return '';
  // fast path: nothing to normalise (no tab/CR/LF, no space at either end, no two spaces in a row)
  let prevSpace = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return collapse(s);
      prevSpace = true;
    } else if (c === 9 || c === 10 || c === 13) return collapse(s);
    else prevSpace = false;
  }
  return prevSpace ? collapse(s) : s;
}

function collapse(s: string): string {
  return s.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
}

/** XPath `string-length()` in characters (code points), as Saxon counts them. */
export function stringLength(s: string): number {
  return codePointsFrom(s, 0);
}

/**
 * Number of code points of `s` from UTF-16 index `from` to the end: the UTF-16 length minus one per
 * surrogate pair (a lone surrogate counts as one character, as `for...of` does).
 */
export function codePointsFrom(s: string, from: number): number {
  let n = s.length - from;
  for (let i = from; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n < 0 ? 0 : n;
}

/**
 * `xs:decimal(s)` cast: optional sign, digits with at most one '.', surrounding whitespace allowed.
 * Returns `undefined` when the lexical form is not a decimal (where Saxon would raise a cast error).
 */
export function toDecimal(s: string | undefined | null): Decimal | undefined {
  if (s === undefined || s === null) return undefined;
  const t = s.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return undefined;
  return new Decimal(t);
}

/**
 * Text of an element as an XPath `xs:decimal` (see {@link toDecimal}); `undefined` if absent or not a
 * decimal. (Not `Dec` of document/money.ts, which builds money values.)
 */
export function decOf(el: Element | undefined | null): Decimal | undefined {
  return el ? toDecimal(el.textContent) : undefined;
}

/**
 * XPath 2.0 `round(x * 10 * 10) div 100`: rounds to 2 decimals, halves towards positive infinity
 * (F&O 3.0 fn:round). This is the rounding the EN 16931 BR-CO rules use.
 */
export function round2(x: Decimal): Decimal {
  return x.times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_CEIL).div(100);
}

/** XPath 2.0 `round(x)` to an integer, halves towards positive infinity. */
export function round0(x: Decimal): Decimal {
  return x.toDecimalPlaces(0, Decimal.ROUND_HALF_CEIL);
}

/** `string-length(substring-after(s, '.'))` — number of characters after the first '.' (BR-DEC-*). */
export function decimalsAfterDot(s: string | undefined | null): number {
  if (!s) return 0;
  const i = s.indexOf('.');
  return i < 0 ? 0 : codePointsFrom(s, i + 1);
}

type Step =
  | { kind: 'child'; names: string[] }
  | { kind: 'desc'; names: string[] }
  | { kind: 'attr'; name: string }
  | { kind: 'descAttr'; name: string };

const pathCache = new Map<string, Step[]>();

function compile(path: string): Step[] {
  let steps = pathCache.get(path);
  if (steps) return steps;
  steps = [];
  let rest = path;
  let desc = false;
  if (rest.startsWith('//')) {
    desc = true;
    rest = rest.slice(2);
  }
  for (const raw of rest.split('/')) {
    if (raw === '') {
      desc = true;
      continue;
    }
    if (raw.startsWith('@')) steps.push({ kind: desc ? 'descAttr' : 'attr', name: raw.slice(1) });
    else {
      const names = raw.replace(/^\(|\)$/g, '').split('|');
      steps.push(desc ? { kind: 'desc', names } : { kind: 'child', names });
    }
    desc = false;
  }
  pathCache.set(path, steps);
  return steps;
}

function localOf(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/** Per-document indexes {@link pathExists} needs for `//` steps (see ValidationContext). */
export interface PathIndex {
  /** All elements of the document with local name `local` (any namespace), in document order. */
  readonly byLocalName: (local: string) => readonly Element[];
  /** Count of no-namespace attributes by name over the whole document (for `//@name`). */
  readonly attributeCounts: ReadonlyMap<string, number>;
}

/**
 * Tiny evaluator for location paths without predicates, relative to `el` (`a/b`, `(a|b)/c`, `//a/@b`,
 * `//@b`). A `//` step is absolute, as in XPath (`//x` = `/descendant-or-self::node()/x`): `//name`
 * uses the descendant index of the document (`index.byLocalName`) filtered by namespace, `//@name`
 * the document's attribute counts (`index.attributeCounts`, no-namespace attributes as `@name`
 * selects). Returns whether at least one node is selected.
 */
export function pathExists(el: Element, path: string, index: PathIndex): boolean {
  const steps = compile(path);
  let cur: Element[] = [el];
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.kind === 'descAttr') {
      // only used as the whole path (`//@name`) in the UBL-CR/UBL-DT rules
      if (i !== 0) throw new Error(`pathExists: '//@' is supported as the first step only (${path})`);
      if (s.name === '*') return [...index.attributeCounts.values()].some((n) => n > 0);
      return (index.attributeCounts.get(s.name) ?? 0) > 0;
    }
    if (s.kind === 'attr') {
      if (s.name === '*') return cur.some((c) => c.attributes.length > 0);
      return cur.some((c) => attr(c, s.name) !== undefined);
    }
    const next: Element[] = [];
    if (s.kind === 'child') {
      for (const c of cur) for (const n of s.names) for (const k of children(c, n)) next.push(k);
    } else {
      // descendant: only used from the document root in the EN rules
      for (const n of s.names) {
        const local = localOf(n);
        const ns = n === local ? undefined : UBL_PREFIXES[n.slice(0, n.indexOf(':'))];
        for (const k of index.byLocalName(local)) if (ns === undefined || k.namespaceURI === ns) next.push(k);
      }
    }
    if (next.length === 0) return false;
    cur = next;
  }
  return cur.length > 0;
}
