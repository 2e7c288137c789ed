import { CetateError } from '@cetate/shared-errors';
import Decimal from 'decimal.js';
import { NS_CAC, NS_CBC, UBL_PREFIXES } from '../../ubl/ubl-namespaces.js';
import { TEXT_NODE, type XElement as Element } from '../../xml/xml-tree.js';
import type { ValidationContext } from '../validation-context.js';
import { codePointsFrom, normalizeSpace } from '../xpath-lite.js';

/**
 * XPath 2.0 building blocks the EN 16931 1.3.8 and CIUS-RO 1.0.9 rules need beyond the child-path
 * helpers of ubl-dom.ts: the untrimmed string value of a node, its parent and name, descendants,
 * XSLT match patterns evaluated anywhere in the document, casts (`xs:decimal`, `xs:double`,
 * `xs:boolean`) that fail like Saxon does, and the singleton rule of `normalize-space(x)`.
 *
 * This is the only rules file that reads the tree's own members (`textContent`, `parentNode`,
 * `elements`, `localName`, `namespaceURI`, `nodeName` of xml/xml-tree.ts `XElement`); the rule files
 * go through these functions.
 *
 * Errors: where XPath raises a dynamic error (a cast of a non-number, `normalize-space()` of two
 * nodes), these functions throw {@link XPathDynamicError}. In a rule context (an XSLT match pattern)
 * a dynamic error means "does not match" (XSLT 3.0 §5.5.4), see {@link safeFilter}; inside a rule
 * test the error propagates and the validator reports the rule as failed.
 */

/** A dynamic XPath error (FORG0001 invalid cast, XPTY0004 sequence of more than one item). */
export class XPathDynamicError extends CetateError {
  constructor(message: string) {
    super('XPATH_DYNAMIC_ERROR', message);
  }
}

// ---------------------------------------------------------------- child steps without allocation

/** A qualified name resolved once: namespace (`null`: any) and local name. */
export interface QName {
  readonly ns: string | null;
  readonly local: string;
}

const qnames = new Map<string, QName>();
/**
 * Resolves `prefix:local` with the UBL prefixes (cbc, cac, ext, ubl, cn), once per distinct name; a
 * name without prefix matches by local name in any namespace (as ubl-dom.ts `child`). Throws `Error`
 * on an unknown prefix (a programming error).
 */
export function qname(name: string): QName {
  let q = qnames.get(name);
  if (q) return q;
  const i = name.indexOf(':');
  if (i < 0) q = { ns: null, local: name };
  else {
    const ns = UBL_PREFIXES[name.slice(0, i)];
    if (ns === undefined) throw new Error(`unknown UBL prefix in ${name}`);
    q = { ns, local: name.slice(i + 1) };
  }
  qnames.set(name, q);
  return q;
}

const paths = new Map<string, readonly QName[]>();
/** The resolved steps of a child path `a/b/c`, once per distinct path. */
export function pathSteps(path: string): readonly QName[] {
  let p = paths.get(path);
  if (!p) paths.set(path, (p = path.split('/').map(qname)));
  return p;
}

/** `true` when `el` has the resolved name `q`. */
export function hasName(el: Element, q: QName): boolean {
  return el.localName === q.local && (q.ns === null || el.namespaceURI === q.ns);
}

const EMPTY: readonly Element[] = Object.freeze([]);
/** Elements with more children than this get a per-name index of their children (the root of a long invoice). */
const INDEXED = 16;
const childIndex = new WeakMap<Element, Map<QName, readonly Element[]>>();

function kidsQ(el: Element, q: QName): readonly Element[] {
  const ks = el.elements;
  if (ks.length > INDEXED) {
    let byName = childIndex.get(el);
    if (!byName) childIndex.set(el, (byName = new Map()));
    let list = byName.get(q);
    if (!list) {
      const out: Element[] = [];
      for (let i = 0; i < ks.length; i++) if (hasName(ks[i]!, q)) out.push(ks[i]!);
      byName.set(q, (list = out.length ? out : EMPTY));
    }
    return list;
  }
  let out: Element[] | undefined;
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i]!;
    if (k.localName === q.local && (q.ns === null || k.namespaceURI === q.ns)) (out ??= []).push(k);
  }
  return out ?? EMPTY;
}

/**
 * The child elements of `el` named `name` (`cbc:ID`), in document order: the elements ubl-dom.ts
 * `children` returns, in an array the caller must not modify (shared: the empty result, and the
 * children of elements with many children, indexed once per name).
 */
export function kids(el: Element | undefined, name: string): readonly Element[] {
  return el ? kidsQ(el, qname(name)) : EMPTY;
}

/** The first child of `el` named `name` (ubl-dom.ts `child`). */
export function kid(el: Element | undefined, name: string): Element | undefined {
  if (!el) return undefined;
  const q = qname(name);
  const ks = el.elements;
  if (ks.length > INDEXED) return kidsQ(el, q)[0];
  for (let i = 0; i < ks.length; i++) if (hasName(ks[i]!, q)) return ks[i];
  return undefined;
}

/** The number of children of `el` named `name`. */
export function kidCount(el: Element | undefined, name: string): number {
  return kids(el, name).length;
}

function allAt(el: Element, steps: readonly QName[]): readonly Element[] {
  let cur = kidsQ(el, steps[0]!);
  for (let s = 1; s < steps.length && cur.length > 0; s++) {
    const q = steps[s]!;
    if (cur.length === 1) cur = kidsQ(cur[0]!, q);
    else {
      const next: Element[] = [];
      for (const c of cur) for (const k of kidsQ(c, q)) next.push(k);
      cur = next;
    }
  }
  return cur;
}

/**
 * The elements at a child path of `el` (`cac:Item/cac:ClassifiedTaxCategory`), fanning out at every
 * step, in document order: ubl-dom.ts `childrenAt`, in an array the caller must not modify.
 */
export function nodesAt(el: Element | undefined, path: string): readonly Element[] {
  return el ? allAt(el, pathSteps(path)) : EMPTY;
}

function existsFrom(el: Element, steps: readonly QName[], s: number): boolean {
  const q = steps[s]!;
  const last = s === steps.length - 1;
  const ks = el.elements;
  if (ks.length > INDEXED) {
    const list = kidsQ(el, q);
    if (last) return list.length > 0;
    for (const k of list) if (existsFrom(k, steps, s + 1)) return true;
    return false;
  }
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i]!;
    if (k.localName === q.local && (q.ns === null || k.namespaceURI === q.ns) && (last || existsFrom(k, steps, s + 1))) return true;
  }
  return false;
}

/** XPath `exists(path)` relative to `el` (some node at the child path, fanning out): `nodesAt(el, path).length > 0`. */
export function hasAt(el: Element | undefined, path: string): boolean {
  return el ? existsFrom(el, pathSteps(path), 0) : false;
}

/**
 * The first element found by taking the FIRST match at each step of a child path (ubl-dom.ts
 * `childAt`; not XPath's `(a/b)[1]`: it stops when the first `a` has no `b`).
 */
export function firstAt(el: Element | undefined, path: string): Element | undefined {
  let cur = el;
  for (const q of pathSteps(path)) {
    if (!cur) return undefined;
    cur = kidsQ(cur, q)[0];
  }
  return cur;
}

/** `(path) != ''`: some node at the child path of `el` has a non-empty (untrimmed) string value. */
export function nonEmptyAt(el: Element | undefined, path: string): boolean {
  for (const n of nodesAt(el, path)) if (n.textContent !== '') return true;
  return false;
}

/** Value of the no-prefix attribute `name` of `el` (ubl-dom.ts `attr`: by qualified name), or `undefined`. */
export function attrOf(el: Element | undefined, name: string): string | undefined {
  return el ? el.attributes.byName(name)?.value : undefined;
}

/** `true` when `el` carries the attribute `name` (by qualified name, as ubl-dom.ts `attr`). */
export function hasAttr(el: Element, name: string): boolean {
  return el.attributes.length > 0 && el.attributes.byName(name) !== undefined;
}

/** One evaluated value, or the error its evaluation raised (thrown again on each read). */
export class Outcome<T> {
  private constructor(
    private readonly value: T | undefined,
    private readonly error: unknown,
    private readonly threw: boolean,
  ) {}

  /** Evaluates `f` now. */
  static of<T>(f: () => T): Outcome<T> {
    try {
      return new Outcome<T>(f(), undefined, false);
    } catch (e) {
      return new Outcome<T>(undefined, e, true);
    }
  }

  /** The value, or the error thrown again. */
  get(): T {
    if (this.threw) throw this.error;
    return this.value as T;
  }
}

/** An element's own value computed once (the tree is read-only): `f(el)`, or the error `f` threw, again. */
export function memoPerElement<T>(f: (el: Element) => T): (el: Element) => T {
  const memo = new WeakMap<Element, Outcome<T>>();
  return (el) => {
    let m = memo.get(el);
    if (!m) memo.set(el, (m = Outcome.of(() => f(el))));
    return m.get();
  };
}

/**
 * A per-document value computed once per ValidationContext (`ctx.cached` under `key`, which must be
 * unique): `f(ctx)`, or the error `f` threw, again.
 */
export function perDoc<T>(key: string, f: (c: ValidationContext) => T): (c: ValidationContext) => T {
  return (c) => c.cached(key, () => Outcome.of(() => f(c))).get();
}

const cacKeys = new Map<string, string>();
const cbcKeys = new Map<string, string>();
/** `//cac:<local>`: ValidationContext `cac(local)`, with its cache key built once per name. */
export function cacAll(c: ValidationContext, local: string): readonly Element[] {
  let k = cacKeys.get(local);
  if (!k) cacKeys.set(local, (k = `xn:cac:${local}`));
  return c.cached(k, () => c.byLocalName(local).filter((e) => e.namespaceURI === NS_CAC));
}
/** `//cbc:<local>`: ValidationContext `cbc(local)`, with its cache key built once per name. */
export function cbcAll(c: ValidationContext, local: string): readonly Element[] {
  let k = cbcKeys.get(local);
  if (!k) cbcKeys.set(local, (k = `xn:cbc:${local}`));
  return c.cached(k, () => c.byLocalName(local).filter((e) => e.namespaceURI === NS_CBC));
}

/** XPath string value of an element (descendant text, NOT trimmed); `''` for `undefined`. */
export function sv(el: Element | undefined): string {
  return el ? el.textContent : '';
}

/** `el/text()`: the values of the text node children of `el`, in document order. */
export function textNodes(el: Element): string[] {
  const out: string[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === TEXT_NODE) out.push(n.nodeValue as string);
  return out;
}

/** The parent element of `el`, or `undefined` for the root. */
export function parentOf(el: Element): Element | undefined {
  return el.parentNode ?? undefined;
}

/** XPath `name()`: the qualified name as written in the document (`cbc:TaxAmount`). */
export function nameOf(el: Element): string {
  return el.nodeName;
}

/** XPath `local-name()`. */
export function localNameOf(el: Element): string {
  return el.localName;
}

/** All element descendants of `el` in document order (not `el` itself). */
export function descendants(el: Element): Element[] {
  const out: Element[] = [];
  const stack: Element[] = [];
  for (let i = el.elements.length - 1; i >= 0; i--) stack.push(el.elements[i]!);
  while (stack.length) {
    const e = stack.pop()!;
    out.push(e);
    for (let i = e.elements.length - 1; i >= 0; i--) stack.push(e.elements[i]!);
  }
  return out;
}

/** `true` when `el` has the qualified UBL name `qname` (`cac:Price`; a bare name matches any namespace). */
export function isNamed(el: Element, name: string): boolean {
  return hasName(el, qname(name));
}

/** `following-sibling::*`: the element siblings after `el`, in document order. */
export function followingSiblings(el: Element): Element[] {
  const p = el.parentNode;
  if (!p) return [];
  return p.elements.slice(p.elements.indexOf(el) + 1);
}

/** `true` when some ancestor of `el` satisfies `pred`. */
export function hasAncestor(el: Element, pred: (a: Element) => boolean): boolean {
  for (let a = el.parentNode; a; a = a.parentNode) if (pred(a)) return true;
  return false;
}

/**
 * Elements matched by an XSLT pattern made of child steps, evaluated over the whole document:
 * `cac:A/cac:B` matches every `cac:B` whose parent is a `cac:A` (at any depth); a leading `/`
 * anchors the first step at the document root (`/ubl:Invoice/cac:TaxTotal`), and `/*` stands for
 * the root whatever its name. Result in document order.
 */
export function matchPattern(c: ValidationContext, pattern: string): Element[] {
  const p = compilePattern(pattern);
  return c.cached(p.key, () => {
    const candidates = p.last === null ? [c.root] : c.byLocalName(p.last.local);
    const out: Element[] = [];
    for (const el of candidates) {
      let cur: Element | null = el;
      let ok = true;
      for (let i = p.steps.length - 1; i >= 0; i--) {
        if (!cur) {
          ok = false;
          break;
        }
        const q = p.steps[i];
        if (q && !hasName(cur, q)) {
          ok = false;
          break;
        }
        if (i > 0) cur = cur.parentNode;
      }
      if (ok && (!p.anchored || cur === c.root)) out.push(el);
    }
    return out;
  });
}

interface Pattern {
  /** The ValidationContext cache key (built once, so that its hash is computed once). */
  readonly key: string;
  readonly anchored: boolean;
  /** The steps; `null` for `*`. */
  readonly steps: readonly (QName | null)[];
  readonly last: QName | null;
}
const patterns = new Map<string, Pattern>();
function compilePattern(pattern: string): Pattern {
  let p = patterns.get(pattern);
  if (p) return p;
  const steps = pattern.replace(/^\/+/, '').split('/').map((s) => (s === '*' ? null : qname(s)));
  p = { key: `pattern:${pattern}`, anchored: pattern.startsWith('/') && !pattern.startsWith('//'), steps, last: steps[steps.length - 1]! };
  patterns.set(pattern, p);
  return p;
}

/** `nodes[predicate]` in a match pattern: a node whose predicate raises a dynamic error does not match. */
export function safeFilter(nodes: readonly Element[], pred: (el: Element) => boolean): Element[] {
  return nodes.filter((n) => {
    try {
      return pred(n);
    } catch (e) {
      if (e instanceof XPathDynamicError) return false;
      throw e;
    }
  });
}

/** The at most one child `qname` of `el` (XPath singleton argument); throws XPTY0004 on more than one. */
export function single(el: Element, name: string): Element | undefined {
  const q = qname(name);
  const ks = el.elements;
  let found: Element | undefined;
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i]!;
    if (k.localName === q.local && (q.ns === null || k.namespaceURI === q.ns)) {
      if (found) throw new XPathDynamicError(`XPTY0004: more than one ${name}`);
      found = k;
    }
  }
  return found;
}

/**
 * The at most one node at a child path of `el` (`a/b/c`, fanning out at every step), for functions
 * taking a singleton (`normalize-space(a/b)`, `string-length(a/b)`); throws XPTY0004 on more than one.
 */
export function singleAt(el: Element, path: string): Element | undefined {
  const k = nodesAt(el, path);
  if (k.length > 1) throw new XPathDynamicError(`XPTY0004: more than one ${path}`);
  return k[0];
}

/** `normalize-space(qname)` on the children of `el` (throws on more than one, '' when none). */
export function nsChild(el: Element, qname: string): string {
  return normalizeSpace(sv(single(el, qname)));
}

/** `upper-case(qname)` (no normalisation) on the children of `el` (throws on more than one). */
export function upperChild(el: Element, qname: string): string {
  return sv(single(el, qname)).toUpperCase();
}

/**
 * `[cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT']` (also written
 * `cac:TaxScheme/(normalize-space(upper-case(cbc:ID)) = 'VAT')`): some `cac:TaxScheme` child whose
 * single `cbc:ID` is VAT in any case and spacing.
 */
export function vatScheme(cat: Element): boolean {
  for (const s of kids(cat, 'cac:TaxScheme')) if (normalizeSpace(upperChild(s, 'cbc:ID')) === 'VAT') return true;
  return false;
}

/** `[normalize-space(cbc:ID) = code]` (throws when the element has two `cbc:ID`). */
export const idIs = (el: Element, code: string): boolean => nsChild(el, 'cbc:ID') === code;

/** `cbc:ID[normalize-space(.) = code]` exists: some `cbc:ID` child equal to code after normalize-space. */
export function someIdNs(el: Element, code: string): boolean {
  for (const i of kids(el, 'cbc:ID')) if (normalizeSpace(i.textContent) === code) return true;
  return false;
}

/** `[cbc:ID = code]`: some `cbc:ID` child whose untrimmed string value is code. */
export function someIdRaw(el: Element, code: string): boolean {
  for (const i of kids(el, 'cbc:ID')) if (i.textContent === code) return true;
  return false;
}

/** `(nodes) != ''` general comparison: some node has a non-empty (untrimmed) string value. */
export function anyNonEmpty(nodes: readonly Element[]): boolean {
  for (const n of nodes) if (n.textContent !== '') return true;
  return false;
}

/** `el/*` is non-empty: `el` has at least one child element. */
export function hasChildElements(el: Element): boolean {
  return el.elements.length > 0;
}

/**
 * `string-length(substring-after(qname, '.'))` on the children of `el` (BR-DEC-*, UBL-DT-01): code
 * points after the first '.' of the untrimmed string value; 0 when absent; throws on two or more nodes.
 */
export function decimalsOf(el: Element, qname?: string): number {
  const s = qname === undefined ? sv(el) : sv(single(el, qname));
  const i = s.indexOf('.');
  return i < 0 ? 0 : codePointsFrom(s, i + 1);
}

/** `string-length(qname)` of the children of `el` in code points (untrimmed; 0 when absent; throws on two or more). */
export function lengthOf(el: Element, qname: string): number {
  return codePointsFrom(sv(single(el, qname)), 0);
}

const DATE = /^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
/**
 * `xs:date(el)` as a comparable instant (ms since 1970-01-01T00:00Z of the date's start; no timezone
 * = UTC, Saxon's implicit timezone where the corpus was made). `undefined` for an absent node; throws
 * FORG0001 on an invalid date (bad format, month 13, 30 February, year 0000).
 */
export function xsDate(el: Element | undefined): number | undefined {
  if (!el) return undefined;
  const t = trimXml(sv(el));
  const m = DATE.exec(t);
  if (!m) throw new XPathDynamicError(`FORG0001: '${t}' is not an xs:date`);
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (y === 0 || dim === undefined || d < 1 || d > dim) throw new XPathDynamicError(`FORG0001: '${t}' is not an xs:date`);
  let offset = 0;
  if (m[4] && m[4] !== 'Z') offset = (m[4][0] === '-' ? -1 : 1) * (Number(m[4].slice(1, 3)) * 60 + Number(m[4].slice(4, 6)));
  const base = new Date(0);
  base.setUTCFullYear(y, mo - 1, d);
  return base.getTime() - offset * 60_000;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DOUBLE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const XML_WS = /^[ \t\r\n]+|[ \t\r\n]+$/g;
const isXmlWs = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
/** `s` without leading and trailing XML whitespace (space, tab, CR, LF; a no-break space stays). */
export function trimXml(s: string): string {
  if (s === '' || (!isXmlWs(s.charCodeAt(0)) && !isXmlWs(s.charCodeAt(s.length - 1)))) return s;
  return s.replace(XML_WS, '');
}

/**
 * `xs:decimal(el)`: `undefined` for an absent node (empty sequence); throws FORG0001 when the string
 * value (whitespace collapsed) is not an xs:decimal literal (no exponent, no INF/NaN).
 */
export function xsDecimal(el: Element | undefined): Decimal | undefined {
  return el ? decimalOf(el) : undefined;
}
/** The cast of {@link xsDecimal}, once per element (a Decimal is immutable, so it is shared). */
const decimalOf = memoPerElement((el: Element): Decimal => {
  const s = trimXml(el.textContent);
  if (!DECIMAL.test(s)) throw new XPathDynamicError(`FORG0001: '${s}' is not an xs:decimal`);
  return new Decimal(s);
});

/** `xs:decimal(qname)` on the children of `el`: empty -> `undefined`, two or more -> XPTY0004. */
export function xsDecimalChild(el: Element, qname: string): Decimal | undefined {
  return xsDecimal(single(el, qname));
}

/** Untyped value cast to `xs:double` (what a general comparison with a number does); throws FORG0001. */
export function xsDouble(s: string): number {
  const t = trimXml(s);
  if (t === 'INF' || t === '+INF') return Infinity;
  if (t === '-INF') return -Infinity;
  if (t === 'NaN') return NaN;
  if (!DOUBLE.test(t)) throw new XPathDynamicError(`FORG0001: '${t}' is not an xs:double`);
  return Number(t);
}

/**
 * General comparison of nodes with a number (`(cbc:Percent) > 0`): each node is cast to xs:double in
 * document order; `true` at the first one that satisfies `cmp`, an invalid one met before that throws.
 */
export function someNumber(nodes: readonly Element[], cmp: (v: number) => boolean): boolean {
  for (const n of nodes) if (cmp(xsDouble(sv(n)))) return true;
  return false;
}

/** `xs:boolean` cast of an untyped value (`true`, `false`, `1`, `0`, surrounding whitespace allowed); throws FORG0001. */
export function xsBoolean(s: string): boolean {
  const t = trimXml(s);
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new XPathDynamicError(`FORG0001: '${t}' is not an xs:boolean`);
}

/**
 * `[cbc:ChargeIndicator = true()]` / `= false()`: some `cbc:ChargeIndicator` child, cast to
 * xs:boolean, equals `value` (in document order; an invalid one met first throws).
 */
export function chargeIndicatorIs(ac: Element, value: boolean): boolean {
  for (const ci of kids(ac, 'cbc:ChargeIndicator')) if (xsBoolean(ci.textContent) === value) return true;
  return false;
}

/** Sum of `xs:decimal` values (XPath `sum()`; empty items skipped). */
export function sumDec(xs: ReadonlyArray<Decimal | undefined>): Decimal {
  let s = new Decimal(0);
  for (const x of xs) if (x !== undefined) s = s.plus(x);
  return s;
}

/** Terms (`BT-n`, `BG-n`) named in a rule message, in order of first appearance. */
export function termsIn(message: string): string[] {
  return [...new Set(message.match(/\bB[GT]-\d+\b/g) ?? [])];
}
