import type { XElement as Element } from '../xml/xml-tree.js';
import { children, childAt, childrenAt, text } from '../ubl/ubl-dom.js';
import type { ParsedUblDocument, UblRootName } from '../ubl/parse-ubl-document.js';
import { NS_CAC, NS_CBC } from '../ubl/ubl-namespaces.js';
import { normalizeSpace } from './xpath-lite.js';

/**
 * Per-document facts computed once and shared by every rule, so that hot rules do not rescan the
 * tree: the root, lines, document-level allowances/charges, VAT breakdowns, and the index of all
 * elements by local name (for the `//x` contexts of the Schematron) and the attribute counts, both
 * built by the parser while it builds the tree (no second walk).
 */
export class ValidationContext {
  readonly root: Element;
  readonly rootName: UblRootName;
  /** `cac:InvoiceLine` (Invoice) or `cac:CreditNoteLine` (CreditNote) children of the root. */
  readonly lines: Element[];
  /** Document level `cac:AllowanceCharge` children of the root. */
  readonly docAllowanceCharges: Element[];
  /** `cac:TaxTotal` children of the root. */
  readonly taxTotals: Element[];
  /** `cac:TaxTotal/cac:TaxSubtotal` of the root (BG-23). */
  readonly taxSubtotals: Element[];
  private readonly index: ReadonlyMap<string, readonly Element[]>;
  private readonly memo = new Map<string, unknown>();
  /**
   * Count of attributes without namespace, by name, over the whole document: what XPath `//@name`
   * selects (UBL-CR-663, UBL-DT-08..28). Namespace declarations and namespaced attributes
   * (`xsi:schemaLocation`) are not counted.
   */
  readonly attributeCounts: ReadonlyMap<string, number>;

  constructor(parsed: ParsedUblDocument) {
    this.root = parsed.document.documentElement!;
    this.rootName = parsed.root;
    this.index = parsed.document.byLocalName;
    this.attributeCounts = parsed.document.attributeCounts;
    this.lines = children(this.root, this.rootName === 'Invoice' ? 'cac:InvoiceLine' : 'cac:CreditNoteLine');
    this.docAllowanceCharges = children(this.root, 'cac:AllowanceCharge');
    this.taxTotals = children(this.root, 'cac:TaxTotal');
    this.taxSubtotals = childrenAt(this.root, 'cac:TaxTotal/cac:TaxSubtotal');
  }

  /** Elements carrying a no-namespace attribute named `name` (what `//@name` selects the owners of), in document order. */
  elementsWithAttribute(name: string): Element[] {
    return this.cached(`@${name}`, () => {
      const out: Element[] = [];
      const stack: Element[] = [this.root];
      while (stack.length) {
        const e = stack.pop()!;
        const attrs = e.attributes;
        for (let i = 0; i < attrs.length; i++) {
          const a = attrs.item(i)!;
          if (!a.namespaceURI && a.name !== 'xmlns' && (a.localName ?? a.name) === name) {
            out.push(e);
            break;
          }
        }
        for (let i = e.elements.length - 1; i >= 0; i--) stack.push(e.elements[i]!);
      }
      return out;
    });
  }

  /** All elements of the document with local name `local` (any namespace), in document order. */
  byLocalName = (local: string): readonly Element[] => this.index.get(local) ?? [];

  /** All elements named `cbc:<local>` anywhere in the document (the Schematron `//cbc:x` / `cbc:x` contexts). */
  cbc(local: string): Element[] {
    return this.cached(`cbc:${local}`, () => (this.index.get(local) ?? []).filter((e) => e.namespaceURI === NS_CBC));
  }

  /** All elements named `cac:<local>` anywhere in the document. */
  cac(local: string): Element[] {
    return this.cached(`cac:${local}`, () => (this.index.get(local) ?? []).filter((e) => e.namespaceURI === NS_CAC));
  }

  /** Memoises a per-document derived value under `key`. */
  cached<T>(key: string, f: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = f();
    this.memo.set(key, v);
    return v;
  }

  /** Elements under the root following a child path (`cac:A/cac:B`). */
  at(path: string): Element[] {
    return this.cached(`at:${path}`, () => childrenAt(this.root, path));
  }

  /** First element under the root following a child path. */
  first(path: string): Element | undefined {
    return childAt(this.root, path);
  }

  /** normalize-space of the first element at a root-relative child path ('' when absent). */
  ns(path: string): string {
    return normalizeSpace(text(this.root, path));
  }

  /** `true` when `el` (an AllowanceCharge) has `cbc:ChargeIndicator` equal to boolean `value` (xs:boolean lexical forms). */
  static chargeIs(el: Element, value: boolean): boolean {
    const t = text(el, 'cbc:ChargeIndicator');
    if (t === undefined) return false;
    return value ? t === 'true' || t === '1' : t === 'false' || t === '0';
  }
}
