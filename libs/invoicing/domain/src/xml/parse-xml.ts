import { SaxesParser, type SaxesTagNS } from 'saxes';
import { UblParseError } from '../ubl/ubl-parse-error.js';
import { XAttributes, XElement, XText, type XAttr, type XDocument } from './xml-tree.js';

/**
 * Limits {@link parseXml} enforces on every document, so that a hostile or broken upload gets a
 * clear error instead of exhausting memory or time:
 * - `maxBytes`: 10 MiB of input (ANAF's upload limit for one e-Factura XML is 10 MB);
 * - `maxDepth`: 64 nested elements (UBL 2.1 invoices nest about 8 deep);
 * - `maxElements`: 500,000 elements (a 10,000-line invoice has about 150,000).
 */
export const XML_LIMITS = Object.freeze({ maxBytes: 10 * 1024 * 1024, maxDepth: 64, maxElements: 500_000 });

/** Limits of one {@link parseXml} call (defaults: {@link XML_LIMITS}). */
export type XmlLimits = { readonly maxBytes: number; readonly maxDepth: number; readonly maxElements: number };

const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes to text; bytes that are not UTF-8 are a fatal error (XML 1.0 §4.3.3), not U+FFFD. */
function utf8(buf: Uint8Array): string {
  try {
    return UTF8_DECODER.decode(buf);
  } catch (e) {
    throw new UblParseError('UBL_MALFORMED', 'XML is not well-formed: the bytes are not valid UTF-8 (and no other encoding is declared)', { cause: e });
  }
}

/**
 * Decodes bytes to text (XML 1.0 §4.3.3 and Appendix F, simplified): UTF-8 with or without BOM,
 * UTF-16 LE/BE by BOM, otherwise the encoding of the XML declaration (any WHATWG label, e.g.
 * ISO-8859-1, windows-1252, ISO-8859-2), UTF-8 when none is declared.
 * @throws UblParseError `XML_ENCODING_UNSUPPORTED` for a declared encoding that cannot be decoded.
 */
function decode(buf: Uint8Array): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return utf8(buf.subarray(3));
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  if (buf[0] === 0x3c && buf[1] === 0x3f) {
    // `<?xml ... encoding="..."?>`: the declaration is ASCII in every encoding we accept here
    const head = String.fromCharCode(...buf.subarray(0, Math.min(buf.length, 200)));
    const m = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
    const enc = m?.[1]?.toLowerCase();
    if (enc && enc !== 'utf-8' && enc !== 'utf8') {
      let decoder;
      try {
        decoder = new TextDecoder(enc);
      } catch {
        throw new UblParseError('XML_ENCODING_UNSUPPORTED', `the XML declaration names encoding "${m![1]}", which is not supported`);
      }
      return decoder.decode(buf);
    }
  }
  return utf8(buf);
}

function position(p: SaxesParser): { line: number; column: number } {
  return { line: p.line, column: p.column + 1 };
}

/**
 * Parses an XML 1.0 document (with namespaces) into the read-only tree of xml-tree.ts, strictly:
 * saxes (a conformant, non-validating XML 1.0 parser) reports every well-formedness and namespace
 * error, and the first is fatal. No DTD is ever processed: a `<!DOCTYPE` is refused, so there is no
 * entity expansion and nothing external is fetched; only the five predefined entities and character
 * references are expanded.
 *
 * @param xml the document's text, or its bytes (see decode: BOM, then the declared encoding, else UTF-8).
 * @param limits size, depth and element-count caps (default {@link XML_LIMITS}).
 * @returns the tree (`documentElement`) with the element count and depth.
 * @throws UblParseError with `line`/`column` when known:
 *   `XML_TOO_LARGE` (more than `maxBytes` bytes; for text, UTF-8 bytes),
 *   `XML_ENCODING_UNSUPPORTED`, `XML_DTD_FORBIDDEN`, `XML_TOO_DEEP`, `XML_TOO_MANY_ELEMENTS`,
 *   `UBL_MALFORMED` (not well-formed XML 1.0 / namespaces, or no root element).
 */
export function parseXml(xml: string | Uint8Array, limits: XmlLimits = XML_LIMITS): XDocument {
  const bytes = typeof xml === 'string' ? (xml.length * 3 <= limits.maxBytes ? xml.length : Buffer.byteLength(xml)) : xml.byteLength;
  if (bytes > limits.maxBytes)
    throw new UblParseError('XML_TOO_LARGE', `the document has ${bytes} bytes; the limit is ${limits.maxBytes} (${limits.maxBytes / 1048576} MiB)`);
  let source = typeof xml === 'string' ? xml : decode(xml);
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  return TreeBuilder.get().build(source, limits);
}

/**
 * Builds the tree from saxes events. One saxes parser is created per process and reused (saxes resets
 * itself after `close()`; `_init()` resets it after an error). It has six handlers, not seven: with
 * a seventh handler property V8 made every property access of the parser slow, 4-5x the parse
 * itself (measured on the corpus' whole documents: 1.3 vs 0.29 ms median). Not re-entrant: parsing
 * is synchronous, so one build is over before the next starts.
 */
class TreeBuilder {
  private static instance: TreeBuilder | undefined;
  static get(): TreeBuilder {
    return (TreeBuilder.instance ??= new TreeBuilder());
  }

  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  private limits: XmlLimits = XML_LIMITS;
  private root: XElement | undefined;
  private current: XElement | undefined;
  private depth = 0;
  private maxDepth = 0;
  private count = 0;
  private line = 1;
  private column = 1;
  private failure: UblParseError | undefined;
  private byLocalName = new Map<string, XElement[]>();
  private attributeCounts = new Map<string, number>();

  private constructor() {
    const p = this.parser;
    // No 'error' handler: saxes then throws its error, which build() wraps. A seventh handler property
    // made V8 slow every property access of the parser (measured: 1.3 vs 0.29 ms median per document).
    p.on('doctype', () =>
      this.fail(new UblParseError('XML_DTD_FORBIDDEN', 'the document has a <!DOCTYPE>: DTDs are not accepted (no entity expansion, no external entities)', position(p))),
    );
    p.on('opentagstart', (tag) => this.openStart(tag.name));
    p.on('opentag', (tag) => this.open(tag));
    p.on('closetag', () => {
      this.depth--;
      this.current = this.current?.parentNode ?? undefined;
    });
    const onText = (t: string) => this.text(t);
    p.on('text', onText);
    p.on('cdata', onText);
  }

  build(source: string, limits: XmlLimits): XDocument {
    this.limits = limits;
    this.root = this.current = this.failure = undefined;
    this.depth = this.maxDepth = this.count = 0;
    const byLocalName = (this.byLocalName = new Map());
    const attributeCounts = (this.attributeCounts = new Map());
    const p = this.parser;
    try {
      p.write(source).close();
    } catch (e) {
      const at = position(p);
      p._init();
      this.root = undefined;
      if (this.failure) throw this.failure;
      throw new UblParseError('UBL_MALFORMED', `XML is not well-formed: ${(e as Error).message ?? String(e)}`, { cause: e, ...at });
    } finally {
      // the builder outlives the document: keep nothing of it (a refused 600,000-element document
      // would otherwise stay on the heap until the next parse)
      this.current = this.failure = undefined;
      this.byLocalName = new Map();
      this.attributeCounts = new Map();
    }
    const root = this.root;
    this.root = undefined;
    if (!root) throw new UblParseError('UBL_MALFORMED', 'XML is not well-formed: no root element');
    return { documentElement: root, elementCount: this.count, maxDepth: this.maxDepth, byLocalName, attributeCounts };
  }

  private fail(e: UblParseError): never {
    this.failure ??= e;
    throw this.failure;
  }

  private openStart(name: string): void {
    const p = this.parser;
    this.line = p.line;
    this.column = Math.max(1, p.column - name.length - 1);
    const { maxDepth, maxElements } = this.limits;
    if (++this.depth > maxDepth) this.fail(new UblParseError('XML_TOO_DEEP', `elements are nested more than ${maxDepth} deep`, { line: this.line, column: this.column }));
    if (this.depth > this.maxDepth) this.maxDepth = this.depth;
    if (++this.count > maxElements)
      this.fail(new UblParseError('XML_TOO_MANY_ELEMENTS', `the document has more than ${maxElements} elements`, { line: this.line, column: this.column }));
  }

  private open(tag: SaxesTagNS): void {
    let attributes = XAttributes.EMPTY;
    const src = tag.attributes;
    let list: XAttr[] | undefined;
    for (const k in src) {
      const a = src[k]!;
      (list ??= []).push({ name: a.name, prefix: a.prefix, localName: a.local, namespaceURI: a.uri, value: a.value });
      if (!a.uri && a.name !== 'xmlns') this.attributeCounts.set(a.local, (this.attributeCounts.get(a.local) ?? 0) + 1);
    }
    if (list) attributes = new XAttributes(list);
    const el = new XElement(tag.name, tag.prefix, tag.local, tag.uri, attributes, this.line, this.column);
    const same = this.byLocalName.get(tag.local);
    if (same) same.push(el);
    else this.byLocalName.set(tag.local, [el]);
    if (this.current) this.current.append(el);
    else this.root = el;
    this.current = el;
  }

  private text(t: string): void {
    const cur = this.current;
    if (!cur) return; // whitespace around the root (saxes rejects anything else there)
    const last = cur.lastChild;
    if (last && last.nodeType === 3) last.nodeValue += t;
    else cur.append(new XText(t));
  }
}
