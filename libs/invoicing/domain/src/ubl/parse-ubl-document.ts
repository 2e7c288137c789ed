import { DOMParser, type Document } from '@xmldom/xmldom';
import { text } from './ubl-dom.js';
import { NS_CREDIT_NOTE, NS_INVOICE } from './ubl-namespaces.js';
import { UblParseError } from './ubl-parse-error.js';

/** Root element kinds of UBL 2.1 documents accepted by Cetate (OASIS UBL 2.1 Invoice-2 / CreditNote-2). */
export type UblRootName = 'Invoice' | 'CreditNote';

/** Result of {@link parseUblDocument}. */
export interface ParsedUblDocument {
  /** Local name of the root element. */
  readonly root: UblRootName;
  /** The xmldom DOM (namespace aware). `document.documentElement` is the root. */
  readonly document: Document;
  /** Trimmed `cbc:CustomizationID` of the root (BT-24), when present. */
  readonly customizationId?: string;
}

/**
 * Decodes bytes to text: UTF-8 (with or without BOM), UTF-16 LE/BE by BOM, ISO-8859-1 / windows-1252
 * when the XML declaration says so (XML 1.0 §4.3.3, Appendix F autodetection, simplified).
 */
function decode(buf: Uint8Array): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return new TextDecoder('utf-8').decode(buf.subarray(3));
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  const head = new TextDecoder('latin1').decode(buf.subarray(0, 200));
  const m = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  const enc = m?.[1]?.toLowerCase();
  if (enc && enc !== 'utf-8' && enc !== 'utf8') {
    try {
      return new TextDecoder(enc).decode(buf);
    } catch {
      /* unknown label: fall back to UTF-8 */
    }
  }
  return new TextDecoder('utf-8').decode(buf);
}

/**
 * Parses any XML strictly: the bytes are decoded as {@link decode} says, and every xmldom error or
 * well-formedness warning is fatal (XML 1.0 well-formedness). Shared by the UBL parser and the ANAF
 * simulator's "is this XML at all" check.
 * @param xml XML text, or its bytes (UTF-8/UTF-16 by BOM, or the encoding declared in the prolog).
 * @throws UblParseError `UBL_MALFORMED` when the XML is not well-formed or has no root element.
 */
export function parseXmlDocument(xml: string | Uint8Array): Document {
  let source = typeof xml === 'string' ? xml : decode(xml);
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  let document: Document;
  let first: UblParseError | undefined;
  try {
    const parser = new DOMParser({
      onError: (level: string, message: string) => {
        // The replacement-character notice concerns decoding, not well-formedness.
        if (level === 'warning' && message.startsWith('Unicode replacement character')) return;
        first ??= new UblParseError('UBL_MALFORMED', `XML is not well-formed: ${message}`);
        throw first;
      },
    });
    document = parser.parseFromString(source, 'text/xml');
  } catch (e) {
    if (first) throw first;
    throw new UblParseError('UBL_MALFORMED', `XML is not well-formed: ${(e as Error).message ?? String(e)}`, { cause: e });
  }
  if (!document.documentElement) throw new UblParseError('UBL_MALFORMED', 'XML is not well-formed: no root element');
  return document;
}

/**
 * Parses a UBL 2.1 Invoice or CreditNote.
 *
 * @param xml XML text, or its bytes (UTF-8/UTF-16 by BOM, or the encoding declared in the prolog).
 * @returns root name, the namespace-aware xmldom `Document` and BT-24 `customizationId`.
 * @throws UblParseError `UBL_MALFORMED` if the XML is not well-formed (every xmldom error or
 *   well-formedness warning is fatal); `UBL_UNKNOWN_ROOT` if the root is not `Invoice` in the UBL
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
export function toParsedUblDocument(document: Document): ParsedUblDocument {
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
