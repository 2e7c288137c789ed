/**
 * B2C detection: an invoice whose buyer is a person without a Romanian tax id (CUI) goes to ANAF's `uploadb2c`
 * (same parameters as `upload`), not to `upload` (ANAF-EFACTURA.md, "What changed in 2025-2026").
 */
import type { XElement as Element } from '../xml/xml-tree.js';
import { child, children, text, type ParsedUblDocument } from '../ubl/index.js';

/** A CNP (Romanian personal numeric code, 13 digits) or ANAF's thirteen zeros for a person whose CNP is not known. */
const PERSON_ID = /^\d{13}$/;

/** The buyer identifiers that decide B2C: BT-48 (VAT id), BT-47 (legal registration id), BT-46 (buyer identifier). */
export interface BuyerIdentifiers {
  /** BT-48 buyer VAT identifier (`PartyTaxScheme/CompanyID` with `TaxScheme/ID` = VAT). */
  vatIdentifier?: string | null;
  /** BT-47 buyer legal registration identifier (`PartyLegalEntity/CompanyID`): a CUI, a CNP or thirteen zeros. */
  legalRegistrationId?: string | null;
  /** BT-46 buyer identifier (`PartyIdentification/ID`). */
  identifier?: string | null;
}

/**
 * Whether the buyer is a person without a CUI, so the invoice is sent through `uploadb2c`: it has no VAT identifier
 * (BT-48) and its identifier (BT-47, else BT-46) is a CNP (13 digits) or thirteen zeros (a buyer without a tax id,
 * ANAF-EFACTURA.md "What changed in 2025-2026" and pitfall 13). A CUI has at most 10 digits, so 13 digits never is one.
 * A buyer with neither identifier is not B2C by this rule (CIUS-RO BR-RO-120 asks for one; validation reports it).
 */
export function isB2cBuyer(ids: BuyerIdentifiers): boolean {
  if (ids.vatIdentifier?.trim()) return false;
  const id = ids.legalRegistrationId?.trim() || ids.identifier?.trim() || '';
  return PERSON_ID.test(id);
}

/** The buyer identifiers of a parsed UBL Invoice / CreditNote (`cac:AccountingCustomerParty/cac:Party`). */
export function buyerIdentifiersOfUbl(parsed: ParsedUblDocument): BuyerIdentifiers {
  const root = parsed.document.documentElement as unknown as Element;
  const party = child(child(root, 'cac:AccountingCustomerParty'), 'cac:Party');
  const vat = children(party, 'cac:PartyTaxScheme').find((pts) => text(pts, 'cac:TaxScheme/cbc:ID') === 'VAT');
  return {
    vatIdentifier: text(vat, 'cbc:CompanyID') ?? null,
    legalRegistrationId: text(party, 'cac:PartyLegalEntity/cbc:CompanyID') ?? null,
    identifier: text(party, 'cac:PartyIdentification/cbc:ID') ?? null,
  };
}

/** {@link isB2cBuyer} of a parsed UBL document's buyer. */
export function isB2cUbl(parsed: ParsedUblDocument): boolean {
  return isB2cBuyer(buyerIdentifiersOfUbl(parsed));
}
