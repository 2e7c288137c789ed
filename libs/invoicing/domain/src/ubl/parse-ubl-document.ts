import { parseXml } from '../xml/parse-xml.js';
import type { XDocument } from '../xml/xml-tree.js';
import { text } from './ubl-dom.js';
import { NS_CREDIT_NOTE, NS_INVOICE } from './ubl-namespaces.js';
import { UblParseError } from './ubl-parse-error.js';

/** Root element kinds of UBL 2.1 documents accepted by Cetate (OASIS UBL 2.1 Invoice-2 / CreditNote-2). */
export type UblRootName = 'Invoice' | 'CreditNote';

/** Result of {@link parseUblDocument}. */
export interface ParsedUblDocument {
  /** Local name of the root element. */
  readonly root: UblRootName;
  /** The parsed tree (namespace aware, see xml/xml-tree.ts). `document.documentElement` is the root. */
  readonly document: XDocument;
  /** Trimmed `cbc:CustomizationID` of the root (BT-24), when present. */
  readonly customizationId?: string;
}

/**
 * Parses any XML strictly (XML 1.0 with namespaces; saxes), within `XML_LIMITS`. Shared by the UBL
 * parser and the ANAF simulator's "is this XML at all" check. See `parseXml` for decoding and limits.
 * @param xml XML text, or its bytes (UTF-8/UTF-16 by BOM, or the encoding declared in the prolog).
 * @throws UblParseError `UBL_MALFORMED` when the XML is not well-formed or has no root element;
 *   `XML_TOO_LARGE`, `XML_DTD_FORBIDDEN`, `XML_TOO_DEEP`, `XML_TOO_MANY_ELEMENTS`, `XML_ENCODING_UNSUPPORTED`.
 */
export function parseXmlDocument(xml: string | Uint8Array): XDocument {
  return parseXml(xml);
}

/**
 * Parses a UBL 2.1 Invoice or CreditNote.
 *
 * @param xml XML text, or its bytes (UTF-8/UTF-16 by BOM, or the encoding declared in the prolog).
 * @returns root name, the namespace-aware tree and BT-24 `customizationId`.
 * @throws UblParseError `UBL_MALFORMED` if the XML is not well-formed, the limit and DTD codes of
 *   {@link parseXmlDocument}; `UBL_UNKNOWN_ROOT` if the root is not `Invoice` in the UBL
 *   Invoice-2 namespace nor `CreditNote` in the CreditNote-2 namespace (OASIS UBL 2.1).
 */
export function parseUblDocument(xml: string | Uint8Array): ParsedUblDocument {
  return toParsedUblDocument(parseXmlDocument(xml));
}

/**
 * Views an XML document already parsed (by {@link parseXmlDocument}) as a UBL 2.1 Invoice or
 * CreditNote, without parsing again (callers that need the DOM before knowing it is UBL).
 * @throws UblParseError `UBL_UNKNOWN_ROOT` if the root is not `Invoice` in the UBL Invoice-2 namespace
 *   nor `CreditNote` in the CreditNote-2 namespace (OASIS UBL 2.1).
 */
export function toParsedUblDocument(document: XDocument): ParsedUblDocument {
  const root = document.documentElement;
  let rootName: UblRootName;
  if (root?.localName === 'Invoice' && root.namespaceURI === NS_INVOICE) rootName = 'Invoice';
  else if (root?.localName === 'CreditNote' && root.namespaceURI === NS_CREDIT_NOTE) rootName = 'CreditNote';
  else
    throw new UblParseError(
      'UBL_UNKNOWN_ROOT',
      `root element {${root?.namespaceURI ?? ''}}${root?.localName} is not a UBL 2.1 Invoice or CreditNote`,
    );
  const customizationId = text(root, 'cbc:CustomizationID');
  return customizationId === undefined ? { root: rootName, document } : { root: rootName, document, customizationId };
}
