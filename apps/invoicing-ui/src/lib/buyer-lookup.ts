/**
 * Filling the buyer of a new invoice (EN 16931 BG-7) from ANAF's taxpayer register (`GET /v1/taxpayers/:cui`, issue
 * 10 point 3). Only fields the user left empty are filled: what was typed is never overwritten.
 */
import type { TaxpayerBuyerView } from './api.js';
import { cuiDigits, isValidCui } from './cui.js';
import type { PartyDraft } from './invoice-draft.js';

/** What {@link fillBuyer} did: the new buyer and the names of the fields it filled. */
export interface BuyerFill {
  buyer: PartyDraft;
  filled: Array<keyof PartyDraft>;
}

/**
 * The CUI to look up from the buyer's identifier field, or null when it is not a Romanian CUI with a right check digit
 * (a CNP, a foreign VAT id, a half-typed number): then ANAF is not asked.
 */
export function lookupCui(cifField: string): string | null {
  return isValidCui(cifField) ? cuiDigits(cifField) : null;
}

/**
 * The buyer with the taxpayer's data in the fields still empty (after trimming): name BT-44, street BT-50, city BT-52,
 * county BT-54 (ISO 3166-2:RO, only while the country is `RO`). The identifier field: when it holds the bare CUI that
 * was looked up and ANAF says the taxpayer is VAT registered, it becomes the VAT identifier BT-48 (`RO` + the same
 * digits: nothing the user typed is lost; CIUS-RO BR-RO-120 takes BT-48 or BT-47, BR-CO-09 wants the prefix).
 * A country left empty becomes `RO`.
 */
export function fillBuyer(buyer: PartyDraft, t: TaxpayerBuyerView): BuyerFill {
  const next: PartyDraft = { ...buyer };
  const filled: Array<keyof PartyDraft> = [];
  const put = (key: keyof PartyDraft, value: string | null) => {
    if (value && next[key].trim() === '') {
      next[key] = value;
      filled.push(key);
    }
  };
  put('name', t.name);
  put('countryCode', 'RO');
  put('street', t.address.street);
  put('city', t.address.city);
  if (next.countryCode.trim().toUpperCase() === 'RO') put('county', t.address.county);
  const typed = buyer.cif.replace(/\s+/g, '');
  if (t.vatId && /^\d+$/.test(typed) && typed === t.cui) {
    next.cif = t.vatId;
    filled.push('cif');
  }
  return { buyer: next, filled };
}
