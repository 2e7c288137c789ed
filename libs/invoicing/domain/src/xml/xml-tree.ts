/**
 * The compact, read-only XML tree the validator and the UBL readers work on (built by `parseXml`).
 *
 * It keeps the DOM property names the UBL helpers and rules read (`nodeType`, `localName`,
 * `namespaceURI`, `prefix`, `nodeName`, `parentNode`, `firstChild`, `nextSibling`, `previousSibling`,
 * `textContent`, `nodeValue`, `attributes.length/item(i)`, `getAttribute`, `hasAttribute`), so code
 * written against the W3C DOM reads it unchanged, but nothing else: no mutation, no live
 * collections, no document-order index. Every element also knows the `line`/`column` (1-based) of its
 * start tag, and its element children as an array (`elements`).
 */

/** Node type of an element (W3C DOM `Node.ELEMENT_NODE`). */
export const ELEMENT_NODE = 1;
/** Node type of a text or CDATA node (W3C DOM `Node.TEXT_NODE`). */
export const TEXT_NODE = 3;

/** An attribute: qualified `name`, `prefix` ('' when none), `localName`, `namespaceURI` ('' when none), `value`. */
export interface XAttr {
  readonly name: string;
  readonly prefix: string;
  readonly localName: string;
  readonly namespaceURI: string;
  readonly value: string;
}

/** The attributes of an element, DOM `NamedNodeMap` style (`length`, `item(i)`). */
export class XAttributes {
  static readonly EMPTY = new XAttributes([]);
  constructor(private readonly list: readonly XAttr[]) {}
  get length(): number {
    return this.list.length;
  }
  /** The `i`-th attribute in source order, or `null`. */
  item(i: number): XAttr | null {
    return this.list[i] ?? null;
  }
  /** The attribute whose qualified name is `name`, or `undefined`. */
  byName(name: string): XAttr | undefined {
    for (const a of this.list) if (a.name === name) return a;
    return undefined;
  }
}

/** A text node: character data or a CDATA section (XPath text node). */
export class XText {
  readonly nodeType = TEXT_NODE;
  parentNode: XElement | null = null;
  nextSibling: XNode | null = null;
  previousSibling: XNode | null = null;
  constructor(public nodeValue: string) {}
  get textContent(): string {
    return this.nodeValue;
  }
}

/** Any node of the tree. */
export type XNode = XElement | XText;

/** An element. */
export class XElement {
  readonly nodeType = ELEMENT_NODE;
  parentNode: XElement | null = null;
  firstChild: XNode | null = null;
  lastChild: XNode | null = null;
  nextSibling: XNode | null = null;
  previousSibling: XNode | null = null;
  /** Element children in document order. */
  readonly elements: XElement[] = [];
  private text: string | undefined;

  constructor(
    /** Qualified name as written in the source (`cbc:ID`). */
    readonly nodeName: string,
    /** Prefix as written ('' when none). */
    readonly prefix: string,
    readonly localName: string,
    /** Namespace URI ('' when none). */
    readonly namespaceURI: string,
    readonly attributes: XAttributes,
    /** 1-based line of the start tag. */
    readonly line: number,
    /** 1-based column of the start tag's `<`. */
    readonly column: number,
  ) {}

  /** A detached element without children nor attributes (a stand-in for an absent one). */
  static detached(localName: string, namespaceURI = 'urn:cetate:none'): XElement {
    return new XElement(localName, '', localName, namespaceURI, XAttributes.EMPTY, 0, 0);
  }

  /** Same as `nodeName` (DOM `Element.tagName`). */
  get tagName(): string {
    return this.nodeName;
  }

  /** Elements never have a node value (DOM). */
  get nodeValue(): null {
    return null;
  }

  /** XPath string value: the concatenated text of every descendant text node (computed once). */
  get textContent(): string {
    if (this.text !== undefined) return this.text;
    let s = '';
    const f = this.firstChild;
    if (f && f.nextSibling === null && f.nodeType === TEXT_NODE) s = f.nodeValue;
    else for (let n = f; n; n = n.nextSibling) s += n.textContent;
    this.text = s;
    return s;
  }

  /** Value of the attribute with qualified name `name`, or `null` (DOM). */
  getAttribute(name: string): string | null {
    return this.attributes.byName(name)?.value ?? null;
  }

  /** Whether the attribute with qualified name `name` is present (DOM). */
  hasAttribute(name: string): boolean {
    return this.attributes.byName(name) !== undefined;
  }

  /** Appends `n` as the last child (tree building only). */
  append(n: XNode): void {
    n.parentNode = this;
    if (this.lastChild) {
      this.lastChild.nextSibling = n;
      n.previousSibling = this.lastChild;
    } else this.firstChild = n;
    this.lastChild = n;
    if (n.nodeType === ELEMENT_NODE) this.elements.push(n);
  }
}

/** A parsed document: its root element and counts gathered while parsing. */
export interface XDocument {
  readonly documentElement: XElement;
  /** Number of elements in the document. */
  readonly elementCount: number;
  /** Deepest element nesting (the root is depth 1). */
  readonly maxDepth: number;
  /** Every element by local name (any namespace), in document order: the index of `//name` steps. */
  readonly byLocalName: ReadonlyMap<string, readonly XElement[]>;
  /**
   * Count of attributes without namespace by local name over the whole document (what `//@name`
   * selects); namespace declarations and namespaced attributes (`xsi:schemaLocation`) are not counted.
   */
  readonly attributeCounts: ReadonlyMap<string, number>;
}
