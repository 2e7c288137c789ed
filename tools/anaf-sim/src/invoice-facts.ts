import { childAt, text } from '@cetate/invoicing-domain';
import type { XElement as Element } from '@cetate/invoicing-domain';

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

function stripRo(id: string | null): string | null {
  if (!id) return null;
  const m = /^(?:RO)?\s*(\d{2,13})$/i.exec(id.trim());
  return m ? m[1]! : id.trim();
}

/** Extracts {@link InvoiceFacts} from a parsed UBL Invoice/CreditNote root (tolerant: missing parts are null). */
export function invoiceFacts(root: Element): InvoiceFacts {
  const partyId = (p: Element | undefined) =>
    stripRo(text(p, 'cac:PartyTaxScheme/cbc:CompanyID') || text(p, 'cac:PartyLegalEntity/cbc:CompanyID') || null);
  const seller = childAt(root, 'cac:AccountingSupplierParty/cac:Party');
  const buyer = childAt(root, 'cac:AccountingCustomerParty/cac:Party');
  return {
    rootName: root.localName ?? root.nodeName,
    rootNamespace: root.namespaceURI,
    invoiceNumber: text(root, 'cbc:ID') || null,
    sellerCif: partyId(seller),
    buyerCif: partyId(buyer),
    buyerCountry: text(buyer, 'cac:PostalAddress/cac:Country/cbc:IdentificationCode') || null,
  };
}
