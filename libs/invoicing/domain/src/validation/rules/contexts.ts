import type { XElement as Element } from '../../xml/xml-tree.js';
import type { Ctx } from './rule-helpers.js';
import { chargeIndicatorIs, kids, matchPattern, perDoc, safeFilter } from './xpath-nodes.js';

/**
 * Rule contexts shared by the EN 16931 and the CIUS-RO rules (the same XSLT match patterns in both
 * artefacts), each computed once per document: the lines, and the allowances/charges of the document
 * and of the lines. ChargeIndicator is compared as xs:boolean (an indicator that is no xs:boolean
 * makes the pattern not match); an allowance/charge carrying both a `true` and a `false` indicator is
 * handled as an allowance only, like the artefacts (the allowance rule comes first in the pattern).
 */

/** `nodes` without those of `other`, in order. */
export function without(nodes: readonly Element[], other: readonly Element[]): Element[] {
  if (other.length === 0) return [...nodes];
  const skip = new Set(other);
  return nodes.filter((n) => !skip.has(n));
}

/** `cac:InvoiceLine | cac:CreditNoteLine`, anywhere in the document. */
export const allLines: Ctx = perDoc('ctx:lines', (c) => [...matchPattern(c, 'cac:InvoiceLine'), ...matchPattern(c, 'cac:CreditNoteLine')]);
/** Document level allowances (BG-20): root `cac:AllowanceCharge[cbc:ChargeIndicator = false()]`. */
export const docAllowances: Ctx = perDoc('ctx:docA', (c) => safeFilter(kids(c.root, 'cac:AllowanceCharge'), (a) => chargeIndicatorIs(a, false)));
/** Document level charges (BG-21): root `cac:AllowanceCharge[cbc:ChargeIndicator = true()]`, allowances excepted. */
export const docCharges: Ctx = perDoc('ctx:docC', (c) => without(safeFilter(kids(c.root, 'cac:AllowanceCharge'), (a) => chargeIndicatorIs(a, true)), docAllowances(c)));
/** `cac:AllowanceCharge` children of every line. */
const lineAcs = perDoc('ctx:lineAcs', (c) => allLines(c).flatMap((l) => kids(l, 'cac:AllowanceCharge')));
/** Line allowances (BG-27): `//cac:InvoiceLine/cac:AllowanceCharge[cbc:ChargeIndicator = false()]` (and credit note lines). */
export const lineAllowances: Ctx = perDoc('ctx:lineA', (c) => safeFilter(lineAcs(c), (a) => chargeIndicatorIs(a, false)));
/** Line charges (BG-28), allowances excepted. */
export const lineCharges: Ctx = perDoc('ctx:lineC', (c) => without(safeFilter(lineAcs(c), (a) => chargeIndicatorIs(a, true)), lineAllowances(c)));
