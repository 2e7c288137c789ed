import Decimal from 'decimal.js';
import { children, childrenAt } from '../../ubl/ubl-dom.js';
import { UBL_PREFIXES } from '../../ubl/ubl-namespaces.js';
import { TEXT_NODE, type XElement as Element } from '../../xml/xml-tree.js';
import type { ValidationContext } from '../validation-context.js';
import { normalizeSpace } from '../xpath-lite.js';

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
export class XPathDynamicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XPathDynamicError';
  }
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
  const stack: Element[] = [...el.elements].reverse();
  while (stack.length) {
    const e = stack.pop()!;
    out.push(e);
    for (let i = e.elements.length - 1; i >= 0; i--) stack.push(e.elements[i]!);
  }
  return out;
}

/** `true` when `el` has the qualified UBL name `qname` (`cac:Price`; a bare name matches any namespace). */
export function isNamed(el: Element, qname: string): boolean {
  const i = qname.indexOf(':');
  if (i < 0) return el.localName === qname;
  const ns = UBL_PREFIXES[qname.slice(0, i)];
  if (ns === undefined) throw new Error(`unknown UBL prefix in ${qname}`);
  return el.localName === qname.slice(i + 1) && el.namespaceURI === ns;
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
  return c.cached(`pattern:${pattern}`, () => {
    const anchored = pattern.startsWith('/') && !pattern.startsWith('//');
    const steps = pattern.replace(/^\/+/, '').split('/');
    const last = steps[steps.length - 1]!;
    const local = last.includes(':') ? last.slice(last.indexOf(':') + 1) : last;
    const candidates = last === '*' ? [c.root] : c.byLocalName(local);
    return candidates.filter((el) => {
      let cur: Element | undefined = el;
      for (let i = steps.length - 1; i >= 0; i--) {
        if (!cur) return false;
        const s = steps[i]!;
        if (s !== '*' && !isNamed(cur, s)) return false;
        if (i > 0) cur = parentOf(cur);
      }
      return !anchored || cur === c.root;
    });
  });
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
export function single(el: Element, qname: string): Element | undefined {
  const k = children(el, qname);
  if (k.length > 1) throw new XPathDynamicError(`XPTY0004: more than one ${qname}`);
  return k[0];
}

/**
 * The at most one node at a child path of `el` (`a/b/c`, fanning out at every step), for functions
 * taking a singleton (`normalize-space(a/b)`, `string-length(a/b)`); throws XPTY0004 on more than one.
 */
export function singleAt(el: Element, path: string): Element | undefined {
  const k = childrenAt(el, path);
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
  return children(cat, 'cac:TaxScheme').some((s) => normalizeSpace(upperChild(s, 'cbc:ID')) === 'VAT');
}

/** `[normalize-space(cbc:ID) = code]` (throws when the element has two `cbc:ID`). */
export const idIs = (el: Element, code: string): boolean => nsChild(el, 'cbc:ID') === code;

/** `cbc:ID[normalize-space(.) = code]` exists: some `cbc:ID` child equal to code after normalize-space. */
export const someIdNs = (el: Element, code: string): boolean => children(el, 'cbc:ID').some((i) => normalizeSpace(sv(i)) === code);

/** `[cbc:ID = code]`: some `cbc:ID` child whose untrimmed string value is code. */
export const someIdRaw = (el: Element, code: string): boolean => children(el, 'cbc:ID').some((i) => sv(i) === code);

/** `(nodes) != ''` general comparison: some node has a non-empty (untrimmed) string value. */
export function anyNonEmpty(nodes: readonly Element[]): boolean {
  return nodes.some((n) => sv(n) !== '');
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
  return i < 0 ? 0 : [...s.slice(i + 1)].length;
}

/** `string-length(qname)` of the children of `el` in code points (untrimmed; 0 when absent; throws on two or more). */
export function lengthOf(el: Element, qname: string): number {
  return [...sv(single(el, qname))].length;
}

const DATE = /^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
/**
 * `xs:date(el)` as a comparable instant (ms since 1970-01-01T00:00Z of the date's start; no timezone
 * = UTC, Saxon's implicit timezone where the corpus was made). `undefined` for an absent node; throws
 * FORG0001 on an invalid date (bad format, month 13, 30 February, year 0000).
 */
export function xsDate(el: Element | undefined): number | undefined {
  if (!el) return undefined;
  const t = sv(el).replace(XML_WS, '');
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

/**
 * `xs:decimal(el)`: `undefined` for an absent node (empty sequence); throws FORG0001 when the string
 * value (whitespace collapsed) is not an xs:decimal literal (no exponent, no INF/NaN).
 */
export function xsDecimal(el: Element | undefined): Decimal | undefined {
  if (!el) return undefined;
  const s = sv(el).replace(XML_WS, '');
  if (!DECIMAL.test(s)) throw new XPathDynamicError(`FORG0001: '${s}' is not an xs:decimal`);
  return new Decimal(s);
}

/** `xs:decimal(qname)` on the children of `el`: empty -> `undefined`, two or more -> XPTY0004. */
export function xsDecimalChild(el: Element, qname: string): Decimal | undefined {
  return xsDecimal(single(el, qname));
}

/** Untyped value cast to `xs:double` (what a general comparison with a number does); throws FORG0001. */
export function xsDouble(s: string): number {
  const t = s.replace(XML_WS, '');
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
  const t = s.replace(XML_WS, '');
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new XPathDynamicError(`FORG0001: '${t}' is not an xs:boolean`);
}

/**
 * `[cbc:ChargeIndicator = true()]` / `= false()`: some `cbc:ChargeIndicator` child, cast to
 * xs:boolean, equals `value` (in document order; an invalid one met first throws).
 */
export function chargeIndicatorIs(ac: Element, value: boolean): boolean {
  for (const ci of children(ac, 'cbc:ChargeIndicator')) if (xsBoolean(sv(ci)) === value) return true;
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
