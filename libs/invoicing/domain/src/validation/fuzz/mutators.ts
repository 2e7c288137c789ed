import { DOMParser, type Node as DomNode } from '@xmldom/xmldom';

/*
 * Test-only mutation engine for the validator's fuzz tests (issue 8), no I/O: seed documents are parsed once
 * with @xmldom/xmldom into a small tree of our own, each fuzz case clones a seed, applies a few
 * seeded mutations (structure, text, attributes, markup), serialises it back and picks an input
 * encoding. Everything is deterministic for a given case seed, so a failing case is reproduced from
 * the seed printed with it (`fuzzCase(seeds, caseSeed)`).
 */

// ---------------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------------

/**
 * xorshift32 pseudo-random generator (Marsaglia 2003): deterministic for a given 32-bit seed, enough
 * for test-case generation (not for cryptography).
 */
export class Rng {
  private s: number;
  /** @param seed any integer; 0 is replaced by a fixed non-zero state (xorshift cannot leave 0). */
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** Next unsigned 32-bit value. */
  nextU32(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** Uniform float in [0, 1). */
  float(): number {
    return this.nextU32() / 0x1_0000_0000;
  }
  /** Uniform integer in [0, n) (n ≥ 1). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
  /** Uniform integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  /** Integer in [lo, hi] with a log-uniform distribution (small sizes as often as large ones, per decade). */
  logRange(lo: number, hi: number): number {
    return Math.min(hi, Math.floor(Math.exp(Math.log(lo) + this.float() * (Math.log(hi) - Math.log(lo)))));
  }
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/** Derives the seed of case `index` of a run seeded with `runSeed` (splitmix-style integer hash). */
export function caseSeedOf(runSeed: number, index: number): number {
  let z = (runSeed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Tree
// ---------------------------------------------------------------------------------------------

/** An element: qualified name as written (`cbc:ID`), attributes in order (namespace declarations included). */
export interface XElement {
  kind: 'el';
  name: string;
  attrs: [string, string][];
  children: XNode[];
}
/** Character data; escaped when serialised. */
export interface XText {
  kind: 'text';
  value: string;
}
/** Markup written verbatim: comments, CDATA sections, processing instructions, entity references. */
export interface XRaw {
  kind: 'raw';
  value: string;
}
/** A node of the mutation tree. */
export type XNode = XElement | XText | XRaw;

function fromDom(node: DomNode): XNode | undefined {
  switch (node.nodeType) {
    case 1: {
      const el = node as unknown as {
        nodeName: string;
        attributes: { length: number; item(i: number): { name: string; value: string } | null };
        childNodes: { length: number; item(i: number): DomNode | null };
      };
      const attrs: [string, string][] = [];
      for (let i = 0; i < el.attributes.length; i++) {
        const a = el.attributes.item(i);
        if (a) attrs.push([a.name, a.value]);
      }
      const children: XNode[] = [];
      for (let i = 0; i < el.childNodes.length; i++) {
        const c = el.childNodes.item(i);
        const x = c ? fromDom(c) : undefined;
        if (x) children.push(x);
      }
      return { kind: 'el', name: el.nodeName, attrs, children };
    }
    case 3:
      return { kind: 'text', value: (node as unknown as { data: string }).data };
    case 4:
      return { kind: 'raw', value: `<![CDATA[${(node as unknown as { data: string }).data}]]>` };
    case 7: {
      const pi = node as unknown as { target: string; data: string };
      return { kind: 'raw', value: `<?${pi.target} ${pi.data}?>` };
    }
    case 8:
      return { kind: 'raw', value: `<!--${(node as unknown as { data: string }).data}-->` };
    default:
      return undefined;
  }
}

/**
 * Parses a well-formed XML document (with @xmldom/xmldom, tests only) into the mutation tree.
 * @throws Error if the document is not well-formed or has no root element.
 */
export function parseTree(xml: string): XElement {
  const doc = new DOMParser({
    onError: (level: string, msg: string) => {
      if (level !== 'warning') throw new Error(msg);
    },
  }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement ? fromDom(doc.documentElement) : undefined;
  if (root?.kind !== 'el') throw new Error('no root element');
  return root;
}

function escText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}
function escAttr(s: string): string {
  return s.replace(/[&<"\t\n\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '"' ? '&quot;' : `&#${c.charCodeAt(0)};`,
  );
}

function write(n: XNode, out: string[]): void {
  if (n.kind === 'text') out.push(escText(n.value));
  else if (n.kind === 'raw') out.push(n.value);
  else {
    out.push('<', n.name);
    for (const [k, v] of n.attrs) out.push(' ', k, '="', escAttr(v), '"');
    if (n.children.length === 0) out.push('/>');
    else {
      out.push('>');
      for (const c of n.children) write(c, out);
      out.push('</', n.name, '>');
    }
  }
}

/** Serialises a tree as an XML document with an XML declaration (`encoding` written as given). */
export function serialize(root: XElement, encoding = 'UTF-8'): string {
  const out: string[] = [`<?xml version="1.0" encoding="${encoding}"?>\n`];
  write(root, out);
  return out.join('');
}

/** Deep copy of a node. */
export function cloneNode<T extends XNode>(n: T): T {
  if (n.kind !== 'el') return { ...n };
  return { kind: 'el', name: n.name, attrs: n.attrs.map(([k, v]) => [k, v]), children: n.children.map(cloneNode) } as T;
}

interface Located {
  el: XElement;
  parent: XElement | undefined;
  depth: number;
}

function elements(root: XElement): Located[] {
  const out: Located[] = [];
  const walk = (el: XElement, parent: XElement | undefined, depth: number): void => {
    out.push({ el, parent, depth });
    for (const c of el.children) if (c.kind === 'el') walk(c, el, depth + 1);
  };
  walk(root, undefined, 1);
  return out;
}

function isDescendantOrSelf(el: XElement, of: XElement): boolean {
  if (el === of) return true;
  return of.children.some((c) => c.kind === 'el' && isDescendantOrSelf(el, c));
}

// ---------------------------------------------------------------------------------------------
// Value generators
// ---------------------------------------------------------------------------------------------

const NUMBERS = ['0', '-0', '1', '-1', '0.00', '100.005', '-9999999999.99', '1e3', '1E-7', '1e309', 'NaN', 'Infinity',
  '12345678901234567890.123456789012', ' 42.00 ', '+5', '1,50', '1.2.3', '.5', '5.', '0x1F', '١٢٣'];
const TEXTS = ['abc', 'RO', 'XX', 'RON', 'EUR', 'S', 'Z', 'AE', 'O', '380', '381', '389', 'H87', 'C62', 'true',
  'Șoseaua Ștefan cel Mare nr. 1, București', 'Zürich Straße', 'שלום', '😀 emoji', '   ', '\t\n', 'RO-B',
  'RO1234567890', 'null', 'undefined', '<not-a-tag>', 'a & b', ']]>', '"quoted"'];
const DATES = ['2024-01-31', '2024-02-30', '2024-13-01', '0000-00-00', '1900-01-01', '9999-12-31', '99999-01-01',
  '2024-1-1', '2024-01-01T10:00:00Z', '2024-01-01+02:00', '31.01.2024', '2024/01/31', '20240131'];
const ATTR_VALUES = ['RON', 'EUR', 'XYZ', '', 'ron', 'C62', 'H87', 'ZZZ', '0088', '9944', 'VAT', 'VA', 'UN/ECE 5305'];

/**
 * A string repeating a short piece (ASCII, Romanian letters, markup characters) that is about `length`
 * characters long once escaped in an attribute (so markup pieces, which escape 4–6 times longer, are
 * shorter before escaping).
 */
function hugeString(rng: Rng, length: number): string {
  const piece = rng.pick(['A', '0123456789', 'ăîșțâĂÎȘȚÂ', '<&>"\'', 'x y  z\t', '€']);
  const n = Math.floor((length * piece.length) / escAttr(piece).length);
  return piece.repeat(Math.ceil(n / piece.length)).slice(0, n);
}

/** A replacement text value: a number, a code or name, a date, empty, or (1 time in 20) 1 KB–1 MB long. */
function newText(rng: Rng): { kind: string; value: string } {
  if (rng.chance(0.05)) {
    const n = rng.logRange(1_000, 1_000_000);
    return { kind: `huge(${n})`, value: hugeString(rng, n) };
  }
  switch (rng.int(4)) {
    case 0:
      return { kind: 'number', value: rng.pick(NUMBERS) };
    case 1:
      return { kind: 'text', value: rng.pick(TEXTS) };
    case 2:
      return { kind: 'date', value: rng.pick(DATES) };
    default:
      return { kind: 'empty', value: '' };
  }
}

const INJECTIONS = [
  '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#x219;', '&#539;', '&#65;', '&#0;', '&#xD800;', '&#x110000;', '&#xFFFE;',
  '&undefined;', '&nbsp;', '&', '&#;', '<!-- a comment -->', '<!-- bad -- comment -->', '<!---->',
  '<![CDATA[<x>&not-an-entity;]]>', '<![CDATA[]]>', '<![CDATA[ 12.50 ]]>', '<?cetate fuzz?>', '<?xml version="1.0"?>',
  '<?xml-stylesheet href="x.xsl"?>', ']]>', '<', '>', '\u0000', '\u0001', '\uFFFE', '\u00A0', '\u200B',
];

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

/** Names of the tree mutations, each one a function below. */
export const MUTATIONS = [
  'drop', 'duplicate', 'retype-text', 'retype-attr', 'rename', 'reorder', 'move', 'nest', 'huge-attr', 'inject',
] as const;
/** A tree mutation's name. */
export type MutationName = (typeof MUTATIONS)[number];

/**
 * Relative frequency of each mutation. The huge ones are rare: a 1 MB attribute costs the parser
 * about 40 ms, and 10,000 documents must run twice within a minute.
 */
const WEIGHTS: Readonly<Record<MutationName, number>> = {
  drop: 3, duplicate: 2, 'retype-text': 3, 'retype-attr': 2, rename: 2, reorder: 2, move: 2, nest: 1, 'huge-attr': 0.2, inject: 2,
};
const TOTAL_WEIGHT = MUTATIONS.reduce((s, m) => s + WEIGHTS[m], 0);

/** Draws a mutation name with the frequencies of WEIGHTS. */
export function pickMutation(rng: Rng): MutationName {
  let x = rng.float() * TOTAL_WEIGHT;
  for (const m of MUTATIONS) if ((x -= WEIGHTS[m]) < 0) return m;
  return 'drop';
}

/**
 * Applies one mutation in place to `root` (which stays the root).
 * @returns a one-line description of what was done (for failure reports), e.g. `drop cbc:ID@3`.
 */
export function mutate(root: XElement, name: MutationName, rng: Rng): string {
  const all = elements(root);
  const nonRoot = all.filter((l) => l.parent);
  const target = (list: Located[]): Located | undefined => (list.length ? rng.pick(list) : undefined);
  switch (name) {
    case 'drop': {
      const t = target(nonRoot);
      if (!t?.parent) return 'drop (nothing)';
      t.parent.children.splice(t.parent.children.indexOf(t.el), 1);
      return `drop ${t.el.name}@${t.depth}`;
    }
    case 'duplicate': {
      const t = target(nonRoot);
      if (!t?.parent) return 'duplicate (nothing)';
      const times = rng.chance(0.1) ? rng.range(2, 20) : 1;
      const at = t.parent.children.indexOf(t.el);
      t.parent.children.splice(at + 1, 0, ...Array.from({ length: times }, () => cloneNode(t.el)));
      return `duplicate ${t.el.name}@${t.depth} x${times}`;
    }
    case 'retype-text': {
      const leaves = all.filter((l) => l.el.children.every((c) => c.kind !== 'el'));
      const t = target(leaves.length ? leaves : all);
      if (!t) return 'retype-text (nothing)';
      const v = newText(rng);
      t.el.children = v.value === '' ? [] : [{ kind: 'text', value: v.value }];
      return `retype-text ${t.el.name}@${t.depth} -> ${v.kind}${v.kind.startsWith('huge') ? '' : ` ${JSON.stringify(v.value)}`}`;
    }
    case 'retype-attr': {
      const withAttrs = all.filter((l) => l.el.attrs.some(([k]) => !k.startsWith('xmlns')));
      const t = target(withAttrs.length ? withAttrs : all);
      if (!t) return 'retype-attr (nothing)';
      const attrs = t.el.attrs.filter(([k]) => !k.startsWith('xmlns'));
      const value = rng.chance(0.5) ? rng.pick(ATTR_VALUES) : newText(rng).value.slice(0, 64);
      if (attrs.length && rng.chance(0.8)) {
        const a = rng.pick(attrs);
        if (rng.chance(0.15)) {
          t.el.attrs.splice(t.el.attrs.indexOf(a), 1);
          return `retype-attr ${t.el.name}/@${a[0]} removed`;
        }
        a[1] = value;
        return `retype-attr ${t.el.name}/@${a[0]} = ${JSON.stringify(value)}`;
      }
      const nameOf = rng.pick(['currencyID', 'schemeID', 'unitCode', 'listID', 'mimeCode', 'filename', 'foo', 'xml:lang']);
      t.el.attrs.push([nameOf, value]);
      return `retype-attr ${t.el.name}/@${nameOf} added ${JSON.stringify(value)}`;
    }
    case 'rename': {
      const t = target(rng.chance(0.05) ? all : nonRoot);
      if (!t) return 'rename (nothing)';
      const from = t.el.name;
      const local = from.includes(':') ? from.slice(from.indexOf(':') + 1) : from;
      const options = [
        () => rng.pick(all).el.name, // another element name of the document
        () => (from.startsWith('cbc:') ? `cac:${local}` : from.startsWith('cac:') ? `cbc:${local}` : `cbc:${local}`),
        () => `cbc:Fuzz${rng.int(100)}`,
        () => `undeclared:${local}`, // prefix without a namespace declaration
        () => local, // moves it into the default namespace
        () => `${from}x`,
      ];
      const to = rng.pick(options)();
      t.el.name = to;
      return `rename ${from}@${t.depth} -> ${to}`;
    }
    case 'reorder': {
      const parents = all.filter((l) => l.el.children.filter((c) => c.kind === 'el').length > 1);
      const t = target(parents);
      if (!t) return 'reorder (nothing)';
      const c = t.el.children;
      for (let i = c.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [c[i], c[j]] = [c[j] as XNode, c[i] as XNode];
      }
      return `reorder children of ${t.el.name}@${t.depth}`;
    }
    case 'move': {
      const t = target(nonRoot);
      if (!t?.parent) return 'move (nothing)';
      const dests = all.filter((l) => !isDescendantOrSelf(l.el, t.el));
      const d = target(dests);
      if (!d) return 'move (nowhere)';
      t.parent.children.splice(t.parent.children.indexOf(t.el), 1);
      d.el.children.splice(rng.int(d.el.children.length + 1), 0, t.el);
      return `move ${t.el.name}@${t.depth} into ${d.el.name}@${d.depth}`;
    }
    case 'nest': {
      const t = target(all);
      if (!t) return 'nest (nothing)';
      const levels = rng.chance(0.2) ? rng.range(60, 70) : rng.range(10, 200);
      const wrapperName = rng.chance(0.5) ? t.el.name : rng.pick(all).el.name;
      // Wrap the element's content in `levels` nested elements (the root keeps its name).
      let inner: XNode[] = t.el.children;
      for (let i = 0; i < levels; i++) inner = [{ kind: 'el', name: wrapperName, attrs: [], children: inner }];
      t.el.children = inner;
      return `nest ${levels} x ${wrapperName} in ${t.el.name}@${t.depth}`;
    }
    case 'huge-attr': {
      const t = target(all);
      if (!t) return 'huge-attr (nothing)';
      const n = rng.logRange(1_000, 1_000_000);
      const attrName = rng.pick(['foo', 'currencyID', 'schemeID', 'xmlns:big', 'unitCode', 'data']);
      const existing = t.el.attrs.find(([k]) => k === attrName);
      const value = hugeString(rng, n);
      if (existing) existing[1] = value;
      else t.el.attrs.push([attrName, value]);
      return `huge-attr ${t.el.name}@${t.depth}/@${attrName} (${n} chars)`;
    }
    case 'inject': {
      const t = target(all);
      if (!t) return 'inject (nothing)';
      const what = rng.pick(INJECTIONS);
      t.el.children.splice(rng.int(t.el.children.length + 1), 0, { kind: 'raw', value: what });
      return `inject ${JSON.stringify(what)} into ${t.el.name}@${t.depth}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

/** How a case's document is handed to the validator. */
export type InputEncoding = 'string' | 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom';

/** Encodes `text` as `encoding` (string: unchanged). UTF-16 BE is built by swapping UTF-16 LE bytes. */
export function encodeAs(text: string, encoding: InputEncoding): string | Uint8Array {
  switch (encoding) {
    case 'string':
      return text;
    case 'utf-8':
      return new Uint8Array(Buffer.from(text, 'utf8'));
    case 'utf-8-bom':
      return new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    case 'utf-16le-bom':
      return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    case 'utf-16be-bom': {
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      return new Uint8Array(le.swap16());
    }
  }
}

/** A seed document: its corpus path and parsed tree. */
export interface Seed {
  readonly file: string;
  readonly tree: XElement;
  readonly bytes: number;
}

/** One generated fuzz input. */
export interface FuzzCase {
  readonly caseSeed: number;
  readonly seedFile: string;
  /** What was done, in order (tree mutations, then text edits, then the encoding). */
  readonly mutations: string[];
  /** The mutated document as text (before encoding). */
  readonly text: string;
  readonly encoding: InputEncoding;
  /** What the validator receives: `text` encoded as `encoding`. */
  readonly input: string | Uint8Array;
}

/** Text-level edits applied after serialisation (rarely): truncation, a stray byte, a cut. */
function textEdit(text: string, rng: Rng): { text: string; what: string } {
  const at = rng.int(text.length + 1);
  switch (rng.int(3)) {
    case 0:
      return { text: text.slice(0, at), what: `truncate at ${at}` };
    case 1: {
      const ch = rng.pick(['<', '>', '&', '"', "'", '\u0000', '\uFFFD', '\u00FF', ']]>', '</x>', '<x>', '\n']);
      return { text: text.slice(0, at) + ch + text.slice(at), what: `insert ${JSON.stringify(ch)} at ${at}` };
    }
    default: {
      const len = rng.range(1, 200);
      return { text: text.slice(0, at) + text.slice(at + len), what: `cut ${len} at ${at}` };
    }
  }
}

/**
 * Builds the fuzz case of `caseSeed`: picks a seed document (the biggest, > 1 MB, only 1 time in
 * 2,000), applies 1–4 tree mutations, with probability 0.08 one text edit, then an input encoding.
 * Deterministic: the same seeds and `caseSeed` give the same case.
 */
export function fuzzCase(seeds: readonly Seed[], caseSeed: number): FuzzCase {
  const rng = new Rng(caseSeed);
  const small = seeds.filter((s) => s.bytes <= 1_000_000);
  const big = seeds.filter((s) => s.bytes > 1_000_000);
  const seed = big.length && rng.chance(1 / 2000) ? rng.pick(big) : rng.pick(small.length ? small : seeds);
  const tree = cloneNode(seed.tree);
  const mutations: string[] = [];
  const count = rng.range(1, 4);
  for (let i = 0; i < count; i++) mutations.push(mutate(tree, pickMutation(rng), rng));
  let text = serialize(tree);
  if (rng.chance(0.08)) {
    const e = textEdit(text, rng);
    text = e.text;
    mutations.push(e.what);
  }
  const encoding = rng.pick<InputEncoding>(['string', 'string', 'utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom']);
  mutations.push(`as ${encoding}`);
  return { caseSeed, seedFile: seed.file, mutations, text, encoding, input: encodeAs(text, encoding) };
}

/** A seed document as read from the corpus: its path (for reports) and text. */
export interface SeedSource {
  readonly file: string;
  readonly xml: string;
}

/** Parses seed documents (a leading BOM is dropped) into trees; sizes are UTF-8 bytes. */
export function seedsFrom(sources: readonly SeedSource[]): Seed[] {
  return sources.map(({ file, xml }) => ({
    file,
    tree: parseTree(xml.replace(/^\uFEFF/, '')),
    bytes: Buffer.byteLength(xml),
  }));
}
