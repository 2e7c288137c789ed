import type { XElement as Element } from '../../xml/xml-tree.js';
import Decimal from 'decimal.js';
import { child, children, childAt, childrenAt, text } from '../../ubl/ubl-dom.js';
import type { RuleDeclaration } from '../rule.js';
import { ValidationContext } from '../validation-context.js';
import { decOf, normalizeSpace, pathExists, round0, round2 } from '../xpath-lite.js';
import { decMsg, docAllowances, docCharges, exists, hasReason, lineAC, maxDecimals, rootCtx, ruleDeclarer, type Ctx } from './rule-helpers.js';
import { UBL_FORBIDDEN_PATHS } from './ubl-forbidden-paths.js';

/**
 * EN 16931 1.3.8 rules bound to UBL 2.1 (CEN/TC 434 Schematron "UBL-model" and "UBL-syntax"
 * patterns), the version embedded in ANAF's CIUS-RO 1.0.9 artefact. Each test follows the
 * Schematron test of the rule; arithmetic uses decimal.js and XPath 2.0 rounding (see round2).
 */

const r = ruleDeclarer('EN16931-1.3.8');
/** `(x) != ''` general comparison: true when some selected node has a non-empty string value. */
const someNonEmpty = (el: Element, path: string) => childrenAt(el, path).some((e) => (e.textContent ?? '') !== '');
const isVat = (cat: Element) => childrenAt(cat, 'cac:TaxScheme/cbc:ID').some((e) => normalizeSpace(e.textContent).toUpperCase() === 'VAT');
const catId = (cat: Element | undefined) => normalizeSpace(text(cat, 'cbc:ID'));
const ZERO = new Decimal(0);
const sum = (xs: Array<Decimal | undefined>) => xs.reduce<Decimal>((a, b) => a.plus(b ?? ZERO), ZERO);

const totals: Ctx = (c) => c.at('cac:LegalMonetaryTotal');
const vatBreakdown: Ctx = (c) => c.taxSubtotals;
const linesCtx: Ctx = (c) => c.lines;

/** VAT categories of the EN 16931 VAT rule families (BR-S/Z/E/AE/K/G/O/L/M-nn). */
const FAMILIES = [
  { code: 'S', p: 'S', name: 'Standard rated' },
  { code: 'Z', p: 'Z', name: 'Zero rated' },
  { code: 'E', p: 'E', name: 'Exempt from VAT' },
  { code: 'AE', p: 'AE', name: 'Reverse charge' },
  { code: 'K', p: 'IC', name: 'Intra-community supply' },
  { code: 'G', p: 'G', name: 'Export outside the EU' },
  { code: 'O', p: 'O', name: 'Not subject to VAT' },
  { code: 'L', p: 'IG', name: 'IGIC' },
  { code: 'M', p: 'IP', name: 'IPSI' },
] as const;

/** Facts per VAT category code, computed once per document. */
interface CatFacts {
  lineCats: Element[]; // ClassifiedTaxCategory of lines, VAT scheme
  allowanceCats: Element[];
  chargeCats: Element[];
  breakdownCats: Element[]; // TaxSubtotal/TaxCategory, VAT scheme
  anyTaxCategory: boolean; // //cac:TaxCategory[VAT]/cbc:ID = code
  anyClassified: boolean; // //cac:ClassifiedTaxCategory[VAT]/cbc:ID = code
}
function facts(c: ValidationContext, code: string): CatFacts {
  return c.cached(`cat:${code}`, () => {
    /** `cbc:ID = code` and VAT scheme (first ID, as `normalize-space(cbc:ID)`). */
    const ofCode = (t: Element) => catId(t) === code && isVat(t);
    /** VAT scheme and some `cbc:ID` equal to code (the `//cac:TaxCategory[...]/cbc:ID = code` general comparison). */
    const hasCodeId = (t: Element) => isVat(t) && children(t, 'cbc:ID').some((i) => normalizeSpace(i.textContent) === code);
    const acCats = (acs: readonly Element[]) => acs.flatMap((a) => children(a, 'cac:TaxCategory')).filter(ofCode);
    return {
      lineCats: c.lines.flatMap((l) => childrenAt(l, 'cac:Item/cac:ClassifiedTaxCategory')).filter(ofCode),
      allowanceCats: acCats(docAllowances(c)),
      chargeCats: acCats(docCharges(c)),
      breakdownCats: c.taxSubtotals.flatMap((s) => children(s, 'cac:TaxCategory')).filter(ofCode),
      anyTaxCategory: c.cac('TaxCategory').some(hasCodeId),
      anyClassified: c.cac('ClassifiedTaxCategory').some(hasCodeId),
    };
  });
}

function sellerVatOrRep(c: ValidationContext): boolean {
  return (
    c.cac('AccountingSupplierParty').some((s) => exists(s, 'cac:Party/cac:PartyTaxScheme/cbc:CompanyID')) ||
    c.cac('TaxRepresentativeParty').some((t) => children(t, 'cac:PartyTaxScheme').some((p) => isVat(p) && exists(p, 'cbc:CompanyID')))
  );
}
function buyerVatOrLegal(c: ValidationContext): boolean {
  return c.cac('AccountingCustomerParty').some(
    (b) => childrenAt(b, 'cac:Party/cac:PartyTaxScheme').some((p) => isVat(p) && exists(p, 'cbc:CompanyID')) || exists(b, 'cac:Party/cac:PartyLegalEntity/cbc:CompanyID'),
  );
}

/** Σ line net + Σ charges − Σ allowances of one VAT category (optionally one rate) — BR-x-08 basis. */
function categoryBase(c: ValidationContext, code: string, rate?: Decimal): Decimal {
  const rateOk = (cat: Element | undefined) => {
    if (rate === undefined) return true;
    const p = decOf(child(cat, 'cbc:Percent'));
    return p !== undefined && p.eq(rate);
  };
  let s = ZERO;
  for (const l of c.lines) {
    const cats = childrenAt(l, 'cac:Item/cac:ClassifiedTaxCategory');
    if (cats.some((t) => catId(t) === code) && cats.some(rateOk)) s = s.plus(decOf(child(l, 'cbc:LineExtensionAmount')) ?? ZERO);
  }
  for (const a of c.docAllowanceCharges) {
    const cats = children(a, 'cac:TaxCategory');
    if (!cats.some((t) => catId(t) === code) || !cats.some(rateOk)) continue;
    const amt = decOf(child(a, 'cbc:Amount')) ?? ZERO;
    if (ValidationContext.chargeIs(a, true)) s = s.plus(amt);
    else if (ValidationContext.chargeIs(a, false)) s = s.minus(amt);
  }
  return s;
}

function familyRules(f: (typeof FAMILIES)[number]): RuleDeclaration[] {
  const id = (n: string) => `BR-${f.p}-${n}`;
  const q = `"${f.name}"`;
  const rateRule = (n: string, ctx: (c: ValidationContext) => Element[], what: string): RuleDeclaration => {
    if (f.code === 'S')
      return r(id(n), ctx, (t) => { const p = decOf(child(t, 'cbc:Percent')); return p !== undefined && p.gt(0); }, `In ${what} where the VAT category code is ${q} the VAT rate shall be greater than zero.`);
    if (f.code === 'O')
      return r(id(n), ctx, (t) => !exists(t, 'cbc:Percent'), `${what} where the VAT category code is ${q} shall not contain a VAT rate.`);
    if (f.code === 'L' || f.code === 'M')
      return r(id(n), ctx, (t) => { const p = decOf(child(t, 'cbc:Percent')); return p !== undefined && p.gte(0); }, `In ${what} where the VAT category code is ${q} the VAT rate shall be 0 (zero) or greater than zero.`);
    return r(id(n), ctx, (t) => { const p = decOf(child(t, 'cbc:Percent')); return p !== undefined && p.eq(0); }, `In ${what} where the VAT category code is ${q} the VAT rate shall be 0 (zero).`);
  };
  const rules: RuleDeclaration[] = [];
  // BR-x-01
  if (f.code === 'S') {
    rules.push(r(id('01'), rootCtx, (_, c) => {
      const used = c.cac('AllowanceCharge').some((a) => children(a, 'cac:TaxCategory').some((t) => catId(t) === 'S')) ||
        c.cac('ClassifiedTaxCategory').some((t) => catId(t) === 'S');
      const inBreakdown = c.taxSubtotals.some((s) => children(s, 'cac:TaxCategory').some((t) => catId(t) === 'S'));
      return used === inBreakdown;
    }, `An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is ${q} shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with ${q}.`));
  } else if (f.code !== 'L' && f.code !== 'M' && f.code !== 'O') {
    rules.push(r(id('01'), rootCtx, (_, c) => {
      const k = facts(c, f.code);
      return !(k.anyTaxCategory || k.anyClassified) || k.breakdownCats.length === 1;
    }, `An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is ${q} shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with ${q}.`));
  }
  // BR-x-02..04: seller identifiers
  if (f.code !== 'O') {
    const need = (c: ValidationContext) =>
      f.code === 'AE' ? sellerVatOrRep(c) && buyerVatOrLegal(c) : f.code === 'G' ? sellerVatOrRep(c) : f.code === 'K' ? sellerVatOrRep(c) && buyerVatOrLegal(c) : sellerVatOrRep(c);
    const g = (n: string, pick: (k: CatFacts) => Element[], what: string) =>
      r(id(n), rootCtx, (_, c) => pick(facts(c, f.code)).length === 0 || need(c),
        `An Invoice that contains ${what} where the VAT category code is ${q} shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).`);
    rules.push(g('02', (k) => k.lineCats, 'an Invoice line (BG-25)'), g('03', (k) => k.allowanceCats, 'a Document level allowance (BG-20)'), g('04', (k) => k.chargeCats, 'a Document level charge (BG-21)'));
  }
  rules.push(
    rateRule('05', (c) => facts(c, f.code).lineCats, 'an Invoice line (BG-25)'),
    rateRule('06', (c) => facts(c, f.code).allowanceCats, 'a Document level allowance (BG-20)'),
    rateRule('07', (c) => facts(c, f.code).chargeCats, 'a Document level charge (BG-21)'),
  );
  // BR-x-08 taxable amount
  const perRate = f.code === 'S' || f.code === 'L' || f.code === 'M';
  rules.push(r(id('08'), (c) => facts(c, f.code).breakdownCats, (t, c) => {
    const sub = t.parentNode as Element;
    const taxable = decOf(child(sub, 'cbc:TaxableAmount'));
    if (taxable === undefined) return false;
    if (!perRate) return taxable.eq(categoryBase(c, f.code));
    const rate = decOf(child(t, 'cbc:Percent'));
    if (rate === undefined) return true; // `every $rate in ()` is true
    if (f.code === 'S') {
      const used = c.lines.some((l) => childrenAt(l, 'cac:Item/cac:ClassifiedTaxCategory').some((x) => catId(x) === 'S') &&
          childrenAt(l, 'cac:Item/cac:ClassifiedTaxCategory').some((x) => decOf(child(x, 'cbc:Percent'))?.eq(rate))) ||
        c.cac('AllowanceCharge').some((a) => children(a, 'cac:TaxCategory').some((x) => catId(x) === 'S') && children(a, 'cac:TaxCategory').some((x) => decOf(child(x, 'cbc:Percent'))?.eq(rate)));
      if (!used) return false;
    }
    const base = categoryBase(c, f.code, rate);
    return taxable.minus(1).lt(base) && taxable.plus(1).gt(base);
  }, `In a VAT breakdown (BG-23) where the VAT category code (BT-118) is ${q} the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are ${q}.`));
  // BR-x-09 tax amount
  if (perRate) {
    rules.push(r(id('09'), (c) => facts(c, f.code).breakdownCats, (t) => {
      const sub = t.parentNode as Element;
      const tax = decOf(child(sub, 'cbc:TaxAmount'));
      const base = decOf(child(sub, 'cbc:TaxableAmount'));
      const p = decOf(child(t, 'cbc:Percent'));
      if (tax === undefined || base === undefined || p === undefined) return false;
      const exp = round2(base.abs().times(p.div(100)));
      return tax.abs().minus(1).lt(exp) && tax.abs().plus(1).gt(exp);
    }, `The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is ${q} shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).`));
  } else {
    rules.push(r(id('09'), (c) => facts(c, f.code).breakdownCats, (t) => decOf(child(t.parentNode as Element, 'cbc:TaxAmount'))?.eq(0) ?? false,
      `The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is ${q} shall be 0 (zero).`));
  }
  // BR-x-10 exemption reason
  const noReason = f.code === 'S' || f.code === 'Z' || f.code === 'L' || f.code === 'M';
  rules.push(r(id('10'), (c) => facts(c, f.code).breakdownCats, (t) => {
    const has = exists(t, 'cbc:TaxExemptionReason') || exists(t, 'cbc:TaxExemptionReasonCode');
    return noReason ? !has : has;
  }, noReason
    ? `A VAT breakdown (BG-23) with VAT Category code (BT-118) ${q} shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).`
    : `A VAT breakdown (BG-23) with VAT Category code (BT-118) ${q} shall have a VAT exemption reason code (BT-121) or a VAT exemption reason text (BT-120).`));
  return rules;
}

const FORBIDDEN: RuleDeclaration[] = UBL_FORBIDDEN_PATHS.map(([id, flag, path, message]) =>
  r(id, rootCtx, (el, c) => !pathExists(el, path, c), message, flag));

/** EN 16931 1.3.8 rules implemented (model + UBL syntax subsets). */
export const EN16931_RULES: readonly RuleDeclaration[] = [
  r('BR-01', rootCtx, (el) => someNonEmpty(el, 'cbc:CustomizationID'), 'An Invoice shall have a Specification identifier (BT-24).'),
  r('BR-02', rootCtx, (el) => someNonEmpty(el, 'cbc:ID'), 'An Invoice shall have an Invoice number (BT-1).'),
  r('BR-03', rootCtx, (el) => someNonEmpty(el, 'cbc:IssueDate'), 'An Invoice shall have an Invoice issue date (BT-2).'),
  r('BR-04', rootCtx, (el) => someNonEmpty(el, 'cbc:InvoiceTypeCode') || someNonEmpty(el, 'cbc:CreditNoteTypeCode'), 'An Invoice shall have an Invoice type code (BT-3).'),
  r('BR-05', rootCtx, (el) => someNonEmpty(el, 'cbc:DocumentCurrencyCode'), 'An Invoice shall have an Invoice currency code (BT-5).'),
  r('BR-06', rootCtx, (el) => someNonEmpty(el, 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'), 'An Invoice shall contain the Seller name (BT-27).'),
  r('BR-07', rootCtx, (el) => someNonEmpty(el, 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'), 'An Invoice shall contain the Buyer name (BT-44).'),
  r('BR-08', rootCtx, (el) => exists(el, 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress'), 'An Invoice shall contain the Seller postal address.'),
  r('BR-09', (c) => c.at('cac:AccountingSupplierParty/cac:Party/cac:PostalAddress'), (a) => someNonEmpty(a, 'cac:Country/cbc:IdentificationCode'), 'The Seller postal address (BG-5) shall contain a Seller country code (BT-40).'),
  r('BR-10', rootCtx, (el) => exists(el, 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress'), 'An Invoice shall contain the Buyer postal address (BG-8).'),
  r('BR-11', (c) => c.at('cac:AccountingCustomerParty/cac:Party/cac:PostalAddress'), (a) => someNonEmpty(a, 'cac:Country/cbc:IdentificationCode'), 'The Buyer postal address shall contain a Buyer country code (BT-55).'),
  r('BR-12', totals, (t) => exists(t, 'cbc:LineExtensionAmount'), 'An Invoice shall have the Sum of Invoice line net amount (BT-106).'),
  r('BR-13', totals, (t) => exists(t, 'cbc:TaxExclusiveAmount'), 'An Invoice shall have the Invoice total amount without VAT (BT-109).'),
  r('BR-14', totals, (t) => exists(t, 'cbc:TaxInclusiveAmount'), 'An Invoice shall have the Invoice total amount with VAT (BT-112).'),
  r('BR-15', totals, (t) => exists(t, 'cbc:PayableAmount'), 'An Invoice shall have the Amount due for payment (BT-115).'),
  r('BR-16', rootCtx, (el) => exists(el, 'cac:InvoiceLine') || exists(el, 'cac:CreditNoteLine'), 'An Invoice shall have at least one Invoice line (BG-25)'),
  r('BR-18', (c) => c.at('cac:TaxRepresentativeParty'), (t) => someNonEmpty(t, 'cac:PartyName/cbc:Name'), 'The Seller tax representative name (BT-62) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11)'),
  r('BR-19', (c) => c.at('cac:TaxRepresentativeParty'), (t) => exists(t, 'cac:PostalAddress'), 'The Seller tax representative postal address (BG-12) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11).'),
  r('BR-20', (c) => c.at('cac:TaxRepresentativeParty/cac:PostalAddress'), (a) => someNonEmpty(a, 'cac:Country/cbc:IdentificationCode'), 'The Seller tax representative postal address (BG-12) shall contain a Tax representative country code (BT-69), if the Seller (BG-4) has a Seller tax representative party (BG-11).'),
  r('BR-21', linesCtx, (l) => someNonEmpty(l, 'cbc:ID'), 'Each Invoice line (BG-25) shall have an Invoice line identifier (BT-126).'),
  r('BR-22', linesCtx, (l) => exists(l, 'cbc:InvoicedQuantity') || exists(l, 'cbc:CreditedQuantity'), 'Each Invoice line (BG-25) shall have an Invoiced quantity (BT-129).'),
  r('BR-23', linesCtx, (l) => [...children(l, 'cbc:InvoicedQuantity'), ...children(l, 'cbc:CreditedQuantity')].some((q) => q.hasAttribute('unitCode')), 'An Invoice line (BG-25) shall have an Invoiced quantity unit of measure code (BT-130).'),
  r('BR-24', linesCtx, (l) => exists(l, 'cbc:LineExtensionAmount'), 'Each Invoice line (BG-25) shall have an Invoice line net amount (BT-131).'),
  r('BR-25', linesCtx, (l) => someNonEmpty(l, 'cac:Item/cbc:Name'), 'Each Invoice line (BG-25) shall contain the Item name (BT-153).'),
  r('BR-26', linesCtx, (l) => exists(l, 'cac:Price/cbc:PriceAmount'), 'Each Invoice line (BG-25) shall contain the Item net price (BT-146).'),
  r('BR-28', linesCtx, (l) => { const b = childrenAt(l, 'cac:Price/cac:AllowanceCharge/cbc:BaseAmount'); return b.length === 0 || b.some((e) => decOf(e)?.gte(0)); }, 'The Item gross price (BT-148) shall NOT be negative.'),
  r('BR-29', (c) => c.at('cac:InvoicePeriod'), (p) => periodOk(p), 'If both Invoicing period start date (BT-73) and Invoicing period end date (BT-74) are given then the Invoicing period end date (BT-74) shall be later or equal to the Invoicing period start date (BT-73).'),
  r('BR-30', (c) => c.lines.flatMap((l) => children(l, 'cac:InvoicePeriod')), (p) => periodOk(p), 'If both Invoice line period start date (BT-134) and Invoice line period end date (BT-135) are given then the Invoice line period end date (BT-135) shall be later or equal to the Invoice line period start date (BT-134).'),
  r('BR-31', docAllowances, (a) => exists(a, 'cbc:Amount'), 'Each Document level allowance (BG-20) shall have a Document level allowance amount (BT-92).'),
  r('BR-32', docAllowances, (a) => children(a, 'cac:TaxCategory').some((t) => isVat(t) && exists(t, 'cbc:ID')), 'Each Document level allowance (BG-20) shall have a Document level allowance VAT category code (BT-95).'),
  r('BR-33', docAllowances, hasReason, 'Each Document level allowance (BG-20) shall have a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98).'),
  r('BR-CO-21', docAllowances, hasReason, 'Each Document level allowance (BG-20) shall contain a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98), or both.'),
  r('BR-DEC-01', docAllowances, maxDecimals('cbc:Amount'), decMsg('Document level allowance amount (BT-92)')),
  r('BR-DEC-02', docAllowances, maxDecimals('cbc:BaseAmount'), decMsg('Document level allowance base amount (BT-93)')),
  r('BR-36', docCharges, (a) => exists(a, 'cbc:Amount'), 'Each Document level charge (BG-21) shall have a Document level charge amount (BT-99).'),
  r('BR-37', docCharges, (a) => children(a, 'cac:TaxCategory').some((t) => isVat(t) && exists(t, 'cbc:ID')), 'Each Document level charge (BG-21) shall have a Document level charge VAT category code (BT-102).'),
  r('BR-38', docCharges, hasReason, 'Each Document level charge (BG-21) shall have a Document level charge reason (BT-104) or a Document level charge reason code (BT-105).'),
  r('BR-CO-22', docCharges, hasReason, 'Each Document level charge (BG-21) shall contain a Document level charge reason (BT-104) or a Document level charge reason code (BT-105), or both.'),
  r('BR-DEC-05', docCharges, maxDecimals('cbc:Amount'), decMsg('Document level charge amount (BT-99)')),
  r('BR-DEC-06', docCharges, maxDecimals('cbc:BaseAmount'), decMsg('Document level charge base amount (BT-100)')),
  r('BR-41', lineAC(false), (a) => exists(a, 'cbc:Amount'), 'Each Invoice line allowance (BG-27) shall have an Invoice line allowance amount (BT-136).'),
  r('BR-42', lineAC(false), hasReason, 'Each Invoice line allowance (BG-27) shall have an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140).'),
  r('BR-CO-23', lineAC(false), hasReason, 'Each Invoice line allowance (BG-27) shall contain an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140), or both.'),
  r('BR-DEC-24', lineAC(false), maxDecimals('cbc:Amount'), decMsg('Invoice line allowance amount (BT-136)')),
  r('BR-DEC-25', lineAC(false), maxDecimals('cbc:BaseAmount'), decMsg('Invoice line allowance base amount (BT-137)')),
  r('BR-43', lineAC(true), (a) => exists(a, 'cbc:Amount'), 'Each Invoice line charge (BG-28) shall have an Invoice line charge amount (BT-141).'),
  r('BR-44', lineAC(true), hasReason, 'Each Invoice line charge shall have an Invoice line charge reason or an invoice line allowance reason code.'),
  r('BR-CO-24', lineAC(true), hasReason, 'Each Invoice line charge (BG-28) shall contain an Invoice line charge reason (BT-144) or an Invoice line charge reason code (BT-145), or both.'),
  r('BR-DEC-27', lineAC(true), maxDecimals('cbc:Amount'), decMsg('Invoice line charge amount (BT-141)')),
  r('BR-DEC-28', lineAC(true), maxDecimals('cbc:BaseAmount'), decMsg('Invoice line charge base amount (BT-142)')),
  r('BR-45', vatBreakdown, (s) => exists(s, 'cbc:TaxableAmount'), 'Each VAT breakdown (BG-23) shall have a VAT category taxable amount (BT-116).'),
  r('BR-46', vatBreakdown, (s) => exists(s, 'cbc:TaxAmount'), 'Each VAT breakdown (BG-23) shall have a VAT category tax amount (BT-117).'),
  r('BR-47', vatBreakdown, (s) => children(s, 'cac:TaxCategory').some((t) => isVat(t) && exists(t, 'cbc:ID')), 'Each VAT breakdown (BG-23) shall be defined through a VAT category code (BT-118).'),
  r('BR-48', vatBreakdown, (s) => children(s, 'cac:TaxCategory').some((t) => isVat(t) && (exists(t, 'cbc:Percent') || catId(t) === 'O')), 'Each VAT breakdown (BG-23) shall have a VAT category rate (BT-119), except if the Invoice is not subject to VAT.'),
  r('BR-CO-17', vatBreakdown, (s) => coTaxOk(s), 'VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) x (VAT category rate (BT-119) / 100), rounded to two decimals.'),
  r('BR-DEC-19', vatBreakdown, maxDecimals('cbc:TaxableAmount'), decMsg('VAT category taxable amount (BT-116)')),
  r('BR-DEC-20', vatBreakdown, maxDecimals('cbc:TaxAmount'), decMsg('VAT category tax amount (BT-117)')),
  r('BR-49', (c) => c.at('cac:PaymentMeans'), (p) => exists(p, 'cbc:PaymentMeansCode'), 'A Payment instruction (BG-16) shall specify the Payment means type code (BT-81).'),
  r('BR-50', (c) => c.at('cac:PaymentMeans').filter((p) => ['30', '58'].includes(text(p, 'cbc:PaymentMeansCode') ?? '')).flatMap((p) => children(p, 'cac:PayeeFinancialAccount')), (a) => someNonEmpty(a, 'cbc:ID'), 'A Payment account identifier (BT-84) shall be present if Credit transfer (BG-17) information is provided in the Invoice.'),
  r('BR-51', (c) => c.at('cac:PaymentMeans/cac:CardAccount'), (a) => (text(a, 'cbc:PrimaryAccountNumberID') ?? '').length <= 10, 'In accordance with card payments security standards an invoice should never include a full card primary account number (BT-87).', 'warning'),
  r('BR-52', (c) => c.at('cac:AdditionalDocumentReference'), (d) => someNonEmpty(d, 'cbc:ID'), 'Each Additional supporting document (BG-24) shall contain a Supporting document reference (BT-122).'),
  r('BR-53', rootCtx, (el, c) => children(el, 'cbc:TaxCurrencyCode').every((tc) => c.taxTotals.some((t) => children(t, 'cbc:TaxAmount').some((a) => a.getAttribute('currencyID') === tc.textContent))), 'If the VAT accounting currency code (BT-6) is present, then the Invoice total VAT amount in accounting currency (BT-111) shall be provided.'),
  r('BR-54', (c) => c.cac('AdditionalItemProperty'), (p) => exists(p, 'cbc:Name') && exists(p, 'cbc:Value'), 'Each Item attribute (BG-32) shall contain an Item attribute name (BT-160) and an Item attribute value (BT-161).'),
  r('BR-55', (c) => c.at('cac:BillingReference'), (b) => exists(b, 'cac:InvoiceDocumentReference/cbc:ID'), 'Each Preceding Invoice reference (BG-3) shall contain a Preceding Invoice reference (BT-25).'),
  r('BR-56', (c) => c.at('cac:TaxRepresentativeParty'), (t) => children(t, 'cac:PartyTaxScheme').some((p) => isVat(p) && exists(p, 'cbc:CompanyID')), 'Each Seller tax representative party (BG-11) shall have a Seller tax representative VAT identifier (BT-63).'),
  r('BR-57', (c) => c.at('cac:Delivery/cac:DeliveryLocation/cac:Address'), (a) => exists(a, 'cac:Country/cbc:IdentificationCode'), 'Each Deliver to address (BG-15) shall contain a Deliver to country code (BT-80).'),
  r('BR-61', (c) => c.at('cac:PaymentMeans'), (p) => { const code = normalizeSpace(text(p, 'cbc:PaymentMeansCode')); return !(code === '30' || code === '58') || exists(p, 'cac:PayeeFinancialAccount/cbc:ID'); }, 'If the Payment means type code (BT-81) means SEPA credit transfer, Local credit transfer or Non-SEPA international credit transfer, the Payment account identifier (BT-84) shall be present.'),
  r('BR-62', (c) => c.at('cac:AccountingSupplierParty/cac:Party/cbc:EndpointID'), (e) => e.hasAttribute('schemeID'), 'The Seller electronic address (BT-34) shall have a Scheme identifier.'),
  r('BR-63', (c) => c.at('cac:AccountingCustomerParty/cac:Party/cbc:EndpointID'), (e) => e.hasAttribute('schemeID'), 'The Buyer electronic address (BT-49) shall have a Scheme identifier.'),
  r('BR-64', (c) => c.lines.flatMap((l) => childrenAt(l, 'cac:Item/cac:StandardItemIdentification/cbc:ID')), (e) => e.hasAttribute('schemeID'), 'The Item standard identifier (BT-157) shall have a Scheme identifier.'),
  r('BR-65', (c) => c.lines.flatMap((l) => childrenAt(l, 'cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode')), (e) => e.hasAttribute('listID'), 'The Item classification identifier (BT-158) shall have a Scheme identifier.'),
  r('BR-66', rootCtx, (el) => childrenAt(el, 'cac:PaymentMeans/cac:CardAccount').length <= 1, 'An Invoice shall contain maximum one Payment Card account (BG-18).'),
  r('BR-67', rootCtx, (el) => childrenAt(el, 'cac:PaymentMeans/cac:PaymentMandate').length <= 1, 'An Invoice shall contain maximum one Payment Mandate (BG-19).'),
  r('BR-CO-03', rootCtx, (el) => !(exists(el, 'cbc:TaxPointDate') && exists(el, 'cac:InvoicePeriod/cbc:DescriptionCode')), 'Value added tax point date (BT-7) and Value added tax point date code (BT-8) are mutually exclusive.'),
  r('BR-CO-04', linesCtx, (l) => childrenAt(l, 'cac:Item/cac:ClassifiedTaxCategory').some((t) => isVat(t) && exists(t, 'cbc:ID')), 'Each Invoice line (BG-25) shall be categorized with an Invoiced item VAT category code (BT-151).'),
  r('BR-CO-10', totals, (t, c) => eqDec(decOf(child(t, 'cbc:LineExtensionAmount')), round2(sum(c.lines.map((l) => decOf(child(l, 'cbc:LineExtensionAmount')))))), 'Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).'),
  r('BR-CO-11', totals, (t, c) => { const a = docAllowances(c); const v = child(t, 'cbc:AllowanceTotalAmount'); return (v !== undefined && eqDec(decOf(v), round2(sum(a.map((x) => decOf(child(x, 'cbc:Amount'))))))) || (v === undefined && a.length === 0); }, 'Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92).'),
  r('BR-CO-12', totals, (t, c) => { const a = docCharges(c); const v = child(t, 'cbc:ChargeTotalAmount'); return (v !== undefined && eqDec(decOf(v), round2(sum(a.map((x) => decOf(child(x, 'cbc:Amount'))))))) || (v === undefined && a.length === 0); }, 'Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99).'),
  r('BR-CO-13', totals, (t) => {
    const line = decOf(child(t, 'cbc:LineExtensionAmount')), ch = child(t, 'cbc:ChargeTotalAmount'), al = child(t, 'cbc:AllowanceTotalAmount');
    const excl = decOf(child(t, 'cbc:TaxExclusiveAmount'));
    if (line === undefined || excl === undefined) return false;
    if (!ch && !al) return excl.eq(line);
    return eqDec(excl, round2(line.plus(ch ? decOf(ch) ?? ZERO : ZERO).minus(al ? decOf(al) ?? ZERO : ZERO)));
  }, 'Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) - Sum of allowances on document level (BT-107) + Sum of charges on document level (BT-108).'),
  r('BR-CO-14', (c) => c.taxTotals, (t) => { const subs = children(t, 'cac:TaxSubtotal'); return subs.length === 0 || eqDec(decOf(child(t, 'cbc:TaxAmount')), round2(sum(subs.map((s) => decOf(child(s, 'cbc:TaxAmount')))))); }, 'Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).'),
  r('BR-CO-15', rootCtx, (el, c) => children(el, 'cbc:DocumentCurrencyCode').every((cur) => {
    const amts = c.taxTotals.flatMap((t) => children(t, 'cbc:TaxAmount')).filter((a) => a.getAttribute('currencyID') === cur.textContent);
    if (amts.length !== 1) return false;
    const incl = decOf(childAt(el, 'cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount')), excl = decOf(childAt(el, 'cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount')), vat = decOf(amts[0]);
    return incl !== undefined && excl !== undefined && vat !== undefined && incl.eq(round2(excl.plus(vat)));
  }), 'Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total VAT amount (BT-110).'),
  r('BR-CO-16', totals, (t) => {
    const pay = decOf(child(t, 'cbc:PayableAmount')), incl = decOf(child(t, 'cbc:TaxInclusiveAmount'));
    const pre = child(t, 'cbc:PrepaidAmount'), rnd = child(t, 'cbc:PayableRoundingAmount');
    if (pay === undefined || incl === undefined) return false;
    const left = rnd ? round2(pay.minus(decOf(rnd) ?? ZERO)) : pay;
    const right = pre ? round2(incl.minus(decOf(pre) ?? ZERO)) : incl;
    return left.eq(right);
  }, 'Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount (BT-113) +Rounding amount (BT-114).'),
  r('BR-CO-18', rootCtx, (el) => exists(el, 'cac:TaxTotal/cac:TaxSubtotal'), 'An Invoice shall at least have one VAT breakdown group (BG-23).'),
  r('BR-CO-19', (c) => c.at('cac:InvoicePeriod'), (p) => exists(p, 'cbc:StartDate') || exists(p, 'cbc:EndDate') || exists(p, 'cbc:DescriptionCode'), 'If Invoicing period (BG-14) is used, the Invoicing period start date (BT-73) or the Invoicing period end date (BT-74) shall be filled, or both.'),
  r('BR-CO-20', (c) => c.lines.flatMap((l) => children(l, 'cac:InvoicePeriod')), (p) => exists(p, 'cbc:StartDate') || exists(p, 'cbc:EndDate'), 'If Invoice line period (BG-26) is used, the Invoice line period start date (BT-134) or the Invoice line period end date (BT-135) shall be filled, or both.'),
  r('BR-CO-25', (c) => (c.rootName === 'Invoice' ? c.at('cac:LegalMonetaryTotal/cbc:PayableAmount') : []), (p, c) => {
    const v = decOf(p);
    return v === undefined || v.lte(0) || c.cbc('DueDate').length > 0 || c.cac('PaymentTerms').some((t) => exists(t, 'cbc:Note'));
  }, 'In case the Amount due for payment (BT-115) is positive, either the Payment due date (BT-9) or the Payment terms (BT-20) shall be present.'),
  r('BR-CO-26', (c) => c.at('cac:AccountingSupplierParty'), (s) => childrenAt(s, 'cac:Party/cac:PartyTaxScheme').some((p) => isVat(p) && exists(p, 'cbc:CompanyID')) || exists(s, 'cac:Party/cac:PartyIdentification/cbc:ID') || exists(s, 'cac:Party/cac:PartyLegalEntity/cbc:CompanyID'), 'In order for the buyer to automatically identify a supplier, the Seller identifier (BT-29), the Seller legal registration identifier (BT-30) and/or the Seller VAT identifier (BT-31) shall be present.'),
  ...(
    [
      ['BR-DEC-09', 'cbc:LineExtensionAmount', 'Sum of Invoice line net amount (BT-106)'],
      ['BR-DEC-10', 'cbc:AllowanceTotalAmount', 'Sum of allowanced on document level (BT-107)'],
      ['BR-DEC-11', 'cbc:ChargeTotalAmount', 'Sum of charges on document level (BT-108)'],
      ['BR-DEC-12', 'cbc:TaxExclusiveAmount', 'Invoice total amount without VAT (BT-109)'],
      ['BR-DEC-14', 'cbc:TaxInclusiveAmount', 'Invoice total amount with VAT (BT-112)'],
      ['BR-DEC-16', 'cbc:PrepaidAmount', 'Paid amount (BT-113)'],
      ['BR-DEC-17', 'cbc:PayableRoundingAmount', 'Rounding amount (BT-114)'],
      ['BR-DEC-18', 'cbc:PayableAmount', 'Amount due for payment (BT-115)'],
    ] as const
  ).map(([id, p, label]) => r(id, totals, maxDecimals(p), decMsg(label))),
  r('BR-DEC-23', linesCtx, maxDecimals('cbc:LineExtensionAmount'), decMsg('Invoice line net amount (BT-131)')),
  ...FAMILIES.flatMap(familyRules),
  r('UBL-SR-48', linesCtx, (l) => childrenAt(l, 'cac:Item/cac:ClassifiedTaxCategory').length === 1, 'Invoice lines shall have one and only one classified tax category.'),
  r('UBL-SR-34', linesCtx, (l) => children(l, 'cbc:Note').length <= 1, 'Invoice line note shall occur maximum once'),
  r('UBL-SR-50', linesCtx, (l) => childrenAt(l, 'cac:Item/cbc:Description').length <= 1, 'Item description shall occur maximum once'),
  r('UBL-SR-05', rootCtx, (el) => childrenAt(el, 'cac:PaymentTerms/cbc:Note').length <= 1, 'Payment terms shall occur maximum once'),
  r('UBL-SR-08', rootCtx, (el) => children(el, 'cac:InvoicePeriod').length <= 1, 'Invoice period shall occur maximum once'),
  r('UBL-SR-24', rootCtx, (el) => children(el, 'cac:Delivery').length <= 1, 'Deliver to information shall occur maximum once'),
  ...FORBIDDEN,
];

function periodOk(p: Element): boolean {
  const s = text(p, 'cbc:StartDate'), e = text(p, 'cbc:EndDate');
  if (s === undefined || e === undefined) return true;
  return e >= s; // xs:date lexical YYYY-MM-DD compares in order (timezones not supported)
}

function eqDec(a: Decimal | undefined, b: Decimal): boolean {
  return a !== undefined && a.eq(b);
}

/** EN 16931 BR-CO-17 (tolerance of ±1 as in the 1.3.8 Schematron). */
function coTaxOk(s: Element): boolean {
  const cat = children(s, 'cac:TaxCategory').find(isVat);
  const p = cat ? decOf(child(cat, 'cbc:Percent')) : undefined;
  const tax = decOf(child(s, 'cbc:TaxAmount'));
  if (tax === undefined) return false;
  if (p === undefined) return round0(tax).eq(0);
  if (round0(p).eq(0)) return round0(tax).eq(0);
  const base = decOf(child(s, 'cbc:TaxableAmount'));
  if (base === undefined) return false;
  const exp = round2(base.abs().times(p.div(100)));
  return tax.abs().minus(1).lt(exp) && tax.abs().plus(1).gt(exp);
}
