import { DOMParser, type Element } from '@xmldom/xmldom';

/** Facts the simulator reads from an uploaded document to route messages and count uploads. */
export interface InvoiceFacts {
  /** Local name of the root element (`Invoice`, `CreditNote`, ...). */
  rootName: string;
  /** Root namespace URI. */
  rootNamespace: string | null;
  /** BT-1 invoice number (`cbc:ID` child of the root), if present. */
  invoiceNumber: string | null;
  /** Seller VAT/legal id without the `RO` prefix (BT-31 or BT-30), if present. */
  sellerCif: string | null;
  /** Buyer VAT/legal id without the `RO` prefix (BT-48 or BT-47), if present. */
  buyerCif: string | null;
  /** Buyer country code (BT-55), if present. */
  buyerCountry: string | null;
}

const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
const CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';

/**
 * Parses `xml` strictly (any well-formedness error throws) and returns the document element.
 * @throws Error when the bytes are not well-formed XML (the case ANAF answers with
 *   `stare="XML cu erori nepreluat de sistem"`).
 */
export function parseStrictXml(xml: Buffer | string): Element {
  const text = typeof xml === 'string' ? xml : xml.toString('utf8');
  const errors: string[] = [];
  let root: Element | null = null;
  try {
    root = new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') errors.push(String(msg));
      },
    }).parseFromString(text, 'application/xml').documentElement;
  } catch (err) {
    errors.push((err as Error).message);
  }
  if (errors.length > 0 || !root) throw new Error(`XML not well-formed: ${errors[0] ?? 'no root element'}`);
  return root;
}

function child(el: Element | null | undefined, ns: string, name: string): Element | null {
  if (!el) return null;
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === name && (n as Element).namespaceURI === ns) return n as Element;
  }
  return null;
}

function path(el: Element | null, steps: [string, string][]): Element | null {
  let cur = el;
  for (const [ns, name] of steps) cur = child(cur, ns, name);
  return cur;
}

function text(el: Element | null): string | null {
  const t = el?.textContent?.trim();
  return t ? t : null;
}

function stripRo(id: string | null): string | null {
  if (!id) return null;
  const m = /^(?:RO)?\s*(\d{2,13})$/i.exec(id.trim());
  return m ? m[1]! : id.trim();
}

/** Extracts {@link InvoiceFacts} from a parsed UBL Invoice/CreditNote root (tolerant: missing parts are null). */
export function invoiceFacts(root: Element): InvoiceFacts {
  const party = (which: string) => path(root, [[CAC, which], [CAC, 'Party']]);
  const partyId = (p: Element | null) =>
    stripRo(text(path(p, [[CAC, 'PartyTaxScheme'], [CBC, 'CompanyID']])) ?? text(path(p, [[CAC, 'PartyLegalEntity'], [CBC, 'CompanyID']])));
  const seller = party('AccountingSupplierParty');
  const buyer = party('AccountingCustomerParty');
  return {
    rootName: root.localName ?? root.nodeName,
    rootNamespace: root.namespaceURI,
    invoiceNumber: text(child(root, CBC, 'ID')),
    sellerCif: partyId(seller),
    buyerCif: partyId(buyer),
    buyerCountry: text(path(buyer, [[CAC, 'PostalAddress'], [CAC, 'Country'], [CBC, 'IdentificationCode']])),
  };
}
