import { CetateError } from '@cetate/shared-errors';
import Decimal from 'decimal.js';
import { NS_CAC, NS_CBC, UBL_PREFIXES } from '../../ubl/ubl-namespaces.js';
import { TEXT_NODE, type XElement as Element } from '../../xml/xml-tree.js';
import type { ValidationContext } from '../validation-context.js';
import { codePointsFrom, normalizeSpace } from '../xpath-lite.js';
import { ExactDecimal, scanDecimalLiteral } from './exact-decimal.js';

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
 * Speed (issue 8): the functions select the same nodes as ubl-dom.ts `children`/`childrenAt`/
 * `childAt` but resolve names and paths once, build no node list where a count, a first node or an
 * existence is asked (depth-first walks in document order), and index the children of wide elements
 * (the root of a long invoice) by name; string functions skip their regular expressions when there
 * is nothing to do; per-document values are memoised in one Map kept in the ValidationContext's
 * `cached` store ({@link perDoc}, {@link perDocElement}). xpath-nodes.spec.ts checks them against
 * the definitions they replace.
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

const matchesQ = (k: Element, q: QName) => k.localName === q.local && (q.ns === null || k.namespaceURI === q.ns);

function kidsQ(el: Element, q: QName): readonly Element[] {
  const ks = el.elements;
  if (ks.length > INDEXED) {
    let byName = childIndex.get(el);
    if (!byName) childIndex.set(el, (byName = new Map()));
    let list = byName.get(q);
    if (!list) {
      const out: Element[] = [];
      for (let i = 0; i < ks.length; i++) if (matchesQ(ks[i]!, q)) out.push(ks[i]!);
      byName.set(q, (list = out.length ? out : EMPTY));
    }
    return list;
  }
  // small elements: no array unless something matches, and then one of the right size
  let first = -1;
  let n = 0;
  for (let i = 0; i < ks.length; i++) {
    if (matchesQ(ks[i]!, q)) {
      if (n++ === 0) first = i;
    }
  }
  if (n === 0) return EMPTY;
  if (n === 1) return [ks[first]!];
  const out: Element[] = [];
  for (let i = first; i < ks.length; i++) if (matchesQ(ks[i]!, q)) out.push(ks[i]!);
  return out;
}

function firstKidQ(el: Element, q: QName): Element | undefined {
  const ks = el.elements;
  if (ks.length > INDEXED) return kidsQ(el, q)[0];
  for (let i = 0; i < ks.length; i++) if (matchesQ(ks[i]!, q)) return ks[i];
  return undefined;
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
  return el ? firstKidQ(el, qname(name)) : undefined;
}

/** The number of children of `el` named `name`. */
export function kidCount(el: Element | undefined, name: string): number {
  return el ? countFrom(el, pathSteps(name), 0, Infinity) : 0;
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

/*
 * Depth-first walks of a child path in document order (the order of `nodesAt`), without building
 * the node list: count (up to a limit), first node, some node satisfying a predicate.
 */

function countFrom(el: Element, steps: readonly QName[], s: number, limit: number): number {
  const q = steps[s]!;
  const last = s === steps.length - 1;
  const ks = el.elements;
  const indexed = ks.length > INDEXED;
  if (indexed && last) return Math.min(kidsQ(el, q).length, limit);
  const list = indexed ? kidsQ(el, q) : ks;
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const k = list[i]!;
    if (!indexed && !matchesQ(k, q)) continue;
    n += last ? 1 : countFrom(k, steps, s + 1, limit - n);
    if (n >= limit) return n;
  }
  return n;
}

function firstFrom(el: Element, steps: readonly QName[], s: number): Element | undefined {
  const q = steps[s]!;
  const last = s === steps.length - 1;
  const ks = el.elements;
  const indexed = ks.length > INDEXED;
  const list = indexed ? kidsQ(el, q) : ks;
  for (let i = 0; i < list.length; i++) {
    const k = list[i]!;
    if (!indexed && !matchesQ(k, q)) continue;
    const f = last ? k : firstFrom(k, steps, s + 1);
    if (f) return f;
  }
  return undefined;
}

function someFrom(el: Element, steps: readonly QName[], s: number, pred: (n: Element) => boolean): boolean {
  const q = steps[s]!;
  const last = s === steps.length - 1;
  const ks = el.elements;
  const indexed = ks.length > INDEXED;
  const list = indexed ? kidsQ(el, q) : ks;
  for (let i = 0; i < list.length; i++) {
    const k = list[i]!;
    if (!indexed && !matchesQ(k, q)) continue;
    if (last ? pred(k) : someFrom(k, steps, s + 1, pred)) return true;
  }
  return false;
}

/** XPath `exists(path)` relative to `el` (some node at the child path, fanning out): `nodesAt(el, path).length > 0`. */
export function hasAt(el: Element | undefined, path: string): boolean {
  return el ? countFrom(el, pathSteps(path), 0, 1) > 0 : false;
}

/** XPath `count(path)` relative to `el`: `nodesAt(el, path).length`. */
export function countAt(el: Element | undefined, path: string): number {
  return el ? countFrom(el, pathSteps(path), 0, Infinity) : 0;
}

/** `count(path) <= max` without counting further than needed. */
export function atMost(el: Element | undefined, path: string, max: number): boolean {
  return el ? countFrom(el, pathSteps(path), 0, max + 1) <= max : true;
}

/** Some node at the child path of `el` satisfies `pred`, tried in document order (`nodesAt(el, path).some(pred)`). */
export function someAt(el: Element | undefined, path: string, pred: (n: Element) => boolean): boolean {
  return el ? someFrom(el, pathSteps(path), 0, pred) : false;
}

/**
 * The first element found by taking the FIRST match at each step of a child path (ubl-dom.ts
 * `childAt`; not XPath's `(a/b)[1]`: it stops when the first `a` has no `b`).
 */
export function firstAt(el: Element | undefined, path: string): Element | undefined {
  let cur = el;
  for (const q of pathSteps(path)) {
    if (!cur) return undefined;
    cur = firstKidQ(cur, q);
  }
  return cur;
}

const nonEmptyNode = (n: Element) => n.textContent !== '';
/** `(path) != ''`: some node at the child path of `el` has a non-empty (untrimmed) string value. */
export function nonEmptyAt(el: Element | undefined, path: string): boolean {
  return someAt(el, path, nonEmptyNode);
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

/** The rules' per-document memo: one Map per ValidationContext, kept in its `cached` store. */
type DocState = Map<unknown, unknown>;
const newDocState = (): DocState => new Map();
/** The per-document memo of the rules (ValidationContext `cached('rules:state')`). */
export function docState(c: ValidationContext): DocState {
  return c.cached('rules:state', newDocState);
}

/**
 * A per-document memo of a value of an element: `f(ctx, el)` computed once per document and element.
 * `f` must not throw.
 */
export function perDocElement<T>(f: (c: ValidationContext, el: Element) => T): (c: ValidationContext, el: Element) => T {
  const token = {};
  return (c, el) => {
    const st = docState(c);
    let memo = st.get(token) as Map<Element, T> | undefined;
    if (!memo) st.set(token, (memo = new Map()));
    let v = memo.get(el);
    if (v === undefined) memo.set(el, (v = f(c, el)));
    return v;
  };
}

/**
 * A per-document value computed once per ValidationContext: `f(ctx)`, or the error `f` threw, thrown
 * again on each call.
 */
export function perDoc<T>(f: (c: ValidationContext) => T): (c: ValidationContext) => T {
  const token = {};
  return (c) => {
    const st = docState(c);
    let o = st.get(token) as Outcome<T> | undefined;
    if (!o) st.set(token, (o = Outcome.of(() => f(c))));
    return o.get();
  };
}

const cacKeys = new Map<string, string>();
const cbcKeys = new Map<string, string>();
/** The elements of local name `local` in namespace `ns`, once per document (key: a string unique to the pair). */
function inNamespace(c: ValidationContext, key: string, local: string, ns: string): readonly Element[] {
  const st = docState(c);
  let list = st.get(key) as readonly Element[] | undefined;
  if (!list) st.set(key, (list = c.byLocalName(local).filter((e) => e.namespaceURI === ns)));
  return list;
}
/** `//cac:<local>`: the elements ValidationContext `cac(local)` returns. */
export function cacAll(c: ValidationContext, local: string): readonly Element[] {
  let k = cacKeys.get(local);
  if (!k) cacKeys.set(local, (k = `cac:${local}`));
  return inNamespace(c, k, local, NS_CAC);
}
/** `//cbc:<local>`: the elements ValidationContext `cbc(local)` returns. */
export function cbcAll(c: ValidationContext, local: string): readonly Element[] {
  let k = cbcKeys.get(local);
  if (!k) cbcKeys.set(local, (k = `cbc:${local}`));
  return inNamespace(c, k, local, NS_CBC);
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

/** What one walk over the whole document collects (see {@link documentWalk}). */
export interface DocumentWalk {
  /** The elements carrying each attribute, by qualified name (`currencyID`), in document order, the root included. */
  readonly attributeOwners: ReadonlyMap<string, readonly Element[]>;
  /** The descendants of the root whose qualified name ends with `Amount`, in document order. */
  readonly amounts: readonly Element[];
  /** The descendants of the root whose qualified name ends with `BinaryObject`, in document order. */
  readonly binaries: readonly Element[];
}

/**
 * One walk over every element of the document (per document, cached) for the contexts that look at
 * the whole tree: `//@currencyID`, `//@unitCode` (BR-CL-03/23), `//*[ends-with(name(), 'Amount')]`
 * (UBL-DT-01), `//*[ends-with(name(), 'BinaryObject')]` (UBL-DT-06/07).
 */
export const documentWalk = perDoc((c): DocumentWalk => {
  const attributeOwners = new Map<string, Element[]>();
  const amounts: Element[] = [];
  const binaries: Element[] = [];
  const stack: Element[] = [c.root];
  while (stack.length) {
    const e = stack.pop()!;
    const attrs = e.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const name = attrs.item(i)!.name;
      let owners = attributeOwners.get(name);
      if (!owners) attributeOwners.set(name, (owners = []));
      owners.push(e);
    }
    if (e !== c.root) {
      const n = e.nodeName;
      if (n.endsWith('Amount')) amounts.push(e);
      else if (n.endsWith('BinaryObject')) binaries.push(e);
    }
    const ks = e.elements;
    for (let i = ks.length - 1; i >= 0; i--) stack.push(ks[i]!);
  }
  return { attributeOwners, amounts, binaries };
});

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
  const st = docState(c);
  let matched = st.get(p) as Element[] | undefined;
  if (!matched) st.set(p, (matched = evaluatePattern(c, p)));
  return matched;
}

function evaluatePattern(c: ValidationContext, p: Pattern): Element[] {
  const parent = p.steps.length > 1 ? p.steps[p.steps.length - 2] : null;
  // candidates: the elements named like the last step, narrowed to those whose parent is named like the step before
  const candidates = p.last === null ? [c.root] : parent ? (byParentName(c, p.last.local).get(parent.local) ?? EMPTY) : c.byLocalName(p.last.local);
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
}

const parentKeys = new Map<string, object>();
/**
 * The elements of local name `local`, grouped by their parent's local name, in document order (one
 * pass per name and document, shared by every pattern ending with `<parent>/<local>`).
 */
function byParentName(c: ValidationContext, local: string): ReadonlyMap<string, readonly Element[]> {
  let k = parentKeys.get(local);
  if (!k) parentKeys.set(local, (k = {}));
  const st = docState(c);
  let m = st.get(k) as Map<string, Element[]> | undefined;
  if (m) return m;
  st.set(k, (m = new Map()));
  for (const e of c.byLocalName(local)) {
    const p = e.parentNode;
    if (!p) continue;
    let list = m.get(p.localName);
    if (!list) m.set(p.localName, (list = []));
    list.push(e);
  }
  return m;
}

interface Pattern {
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
  p = { anchored: pattern.startsWith('/') && !pattern.startsWith('//'), steps, last: steps[steps.length - 1]! };
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
  if (ks.length > INDEXED) {
    const list = kidsQ(el, q);
    if (list.length > 1) throw new XPathDynamicError(`XPTY0004: more than one ${name}`);
    return list[0];
  }
  let found: Element | undefined;
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i]!;
    if (matchesQ(k, q)) {
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
  const steps = pathSteps(path);
  const n = countFrom(el, steps, 0, 2);
  if (n > 1) throw new XPathDynamicError(`XPTY0004: more than one ${path}`);
  return n ? firstFrom(el, steps, 0) : undefined;
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
  for (const s of kids(cat, 'cac:TaxScheme')) if (taxSchemeIsVat(s)) return true;
  return false;
}

/** `normalize-space(upper-case(cbc:ID)) = 'VAT'` on one `cac:TaxScheme` (throws XPTY0004 on two `cbc:ID`). */
export function taxSchemeIsVat(scheme: Element): boolean {
  const id = sv(single(scheme, 'cbc:ID'));
  return id === 'VAT' || normalizeSpace(id.toUpperCase()) === 'VAT';
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

/** `el/*`: the child elements of `el`, in document order (the tree's own array: do not modify). */
export function childElements(el: Element): readonly Element[] {
  return el.elements;
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
  return el ? new Decimal(decimalText(el)) : undefined;
}

/**
 * The string value of `el` ready for an `xs:decimal` cast (XML whitespace trimmed); throws FORG0001
 * when it is not an xs:decimal literal.
 */
export function decimalText(el: Element): string {
  const s = trimXml(el.textContent);
  if (!DECIMAL.test(s)) throw new XPathDynamicError(`FORG0001: '${s}' is not an xs:decimal`);
  return s;
}

/**
 * The canonical form of a valid xs:decimal literal (see {@link decimalText}): no sign for zero or
 * plus, no leading zeros, no trailing fractional zeros nor dot (`+019.50` -> `19.5`, `-0.0` -> `0`),
 * so that two literals are equal as xs:decimal values exactly when their keys are equal strings.
 */
export function decimalKey(t: string): string {
  const f = t.charCodeAt(0);
  if (f >= 49 && f <= 57 && t.indexOf('.') < 0) return t; // an integer without sign nor leading zero
  let i = 0;
  let neg = false;
  const c0 = t.charCodeAt(0);
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i = 1;
  }
  const dot = t.indexOf('.');
  let intStart = i;
  const intEnd = dot < 0 ? t.length : dot;
  while (intStart < intEnd && t.charCodeAt(intStart) === 48) intStart++;
  let fracEnd = t.length;
  if (dot >= 0) while (fracEnd > dot + 1 && t.charCodeAt(fracEnd - 1) === 48) fracEnd--;
  const int = t.slice(intStart, intEnd);
  const frac = dot >= 0 ? t.slice(dot + 1, fracEnd) : '';
  if (int === '' && frac === '') return '0';
  const abs = (int === '' ? '0' : int) + (frac === '' ? '' : `.${frac}`);
  return neg ? `-${abs}` : abs;
}

const SAFE_DIGITS = 15;
const POW10 = Array.from({ length: SAFE_DIGITS + 1 }, (_, i) => 10 ** i);
/**
 * An XPath `sum()` of xs:decimal values, identical to adding them in order with decimal.js (what
 * {@link sumDec} does) but without a Decimal per value while the sum is small: values of at most 15
 * digits are added as integers scaled to the largest number of decimals seen, which is exact as long
 * as every partial sum is a safe integer (then decimal.js, exact to 20 significant digits, computes
 * the same partial sums); at the first value that does not fit, the exact sum so far becomes a
 * Decimal and the remaining values are added with decimal.js, as sumDec would.
 */
export class DecimalSum {
  private m = 0;
  private s = 0;
  private dec: Decimal | undefined;

  /** Adds a valid xs:decimal literal (see {@link decimalText}). */
  add(t: string): void {
    if (this.dec === undefined && this.addExact(t)) return;
    this.dec = (this.dec ?? this.exact()).plus(new Decimal(t));
  }

  private addExact(t: string): boolean {
    const { neg, m: literal, digits, scale } = scanDecimalLiteral(t);
    let v = literal;
    if (digits > SAFE_DIGITS || scale > SAFE_DIGITS) return false;
    let m = this.m;
    let s = this.s;
    if (scale > s) {
      m *= POW10[scale - s]!;
      s = scale;
    } else if (scale < s) v *= POW10[s - scale]!;
    const sum = neg ? m - v : m + v;
    if (!Number.isSafeInteger(m) || !Number.isSafeInteger(v) || !Number.isSafeInteger(sum)) return false;
    this.m = sum;
    this.s = s;
    return true;
  }

  /** The exact integer sum as a Decimal. */
  private exact(): Decimal {
    if (this.m === 0) return new Decimal(0);
    const neg = this.m < 0;
    let d = String(Math.abs(this.m));
    if (this.s > 0) {
      d = d.padStart(this.s + 1, '0');
      d = `${d.slice(0, d.length - this.s)}.${d.slice(d.length - this.s)}`;
    }
    return new Decimal(neg ? `-${d}` : d);
  }

  /** The sum (0 when nothing was added). */
  value(): Decimal {
    return this.dec ?? this.exact();
  }

  /** The sum as an ExactDecimal (exact-decimal.ts), exact when it is. */
  exactValue(): ExactDecimal {
    return this.dec ? ExactDecimal.ofDecimal(this.dec) : ExactDecimal.scaled(this.m, this.s);
  }
}

/** {@link xsDecimal} as an ExactDecimal (exact-decimal.ts): same value, same errors. */
export function xsExact(el: Element | undefined): ExactDecimal | undefined {
  return el ? ExactDecimal.of(decimalText(el)) : undefined;
}

/** {@link xsDecimalChild} as an ExactDecimal: empty -> `undefined`, two or more -> XPTY0004. */
export function xsExactChild(el: Element, qname: string): ExactDecimal | undefined {
  return xsExact(single(el, qname));
}

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
