import type { XElement as Element } from '../../xml/xml-tree.js';
import type { RuleDeclaration, RuleFlag } from '../rule.js';
import type { ValidationContext } from '../validation-context.js';
import { pathExists, stringLength } from '../xpath-lite.js';
import { ExactDecimal } from './exact-decimal.js';
import { allLines, docAllowances, docCharges, lineAllowances, lineCharges, lineTest, without } from './contexts.js';
import { decMsg, hasReason, rootCtx, ruleDeclarer, type Ctx } from './rule-helpers.js';
import { ISO_3166_1_ALPHA2_CODE_LIST } from '../code-lists/iso-3166-country-codes.js';
import { UBL_FORBIDDEN_PATHS } from './ubl-forbidden-paths.js';
import {
  allowanceCategoriesByCode,
  allowanceChargeCategories,
  allowanceChargeCategoriesOf,
  breakdownCategories,
  breakdownCategoriesByCode,
  categoryRawIds,
  chargeCategoriesByCode,
  classifiedCategories,
  lineCategoriesByCode,
  rootAllowanceChargeCategoriesOf,
  taxCategories,
  taxCategory,
  type TaxCategory,
} from './tax-categories.js';
import {
  atMost,
  attrOf,
  cacAll,
  chargeIndicatorIs,
  countAt,
  DecimalSum,
  decimalText,
  decimalsOf,
  documentWalk,
  hasAncestor,
  hasAt,
  hasChildElements,
  hasName,
  isNamed,
  kids,
  lengthOf,
  localNameOf,
  matchPattern,
  perDocElement,
  qname,
  nameOf,
  nodesAt,
  nonEmptyAt,
  nsChild,
  parentOf,
  perDoc,
  safeFilter,
  single,
  someAt,
  someNumber,
  sv,
  termsIn,
  upperChild,
  vatScheme,
  xsDate,
  xsExact,
  xsExactChild,
  xsDouble,
  XPathDynamicError,
} from './xpath-nodes.js';

/**
 * EN 16931 1.3.8 rules bound to UBL 2.1, as embedded in ANAF's CIUS-RO 1.0.9 artefact: the
 * "UBL-model" pattern (BR-*, BR-CO-*, BR-DEC-*, the VAT category families BR-S/Z/E/AE/IC/G/O/IG/IP/B)
 * and the "UBL-syntax" pattern (UBL-SR-*, UBL-CR-*, UBL-DT-*). The BR-CL-* code-list rules live in
 * code-list.rules.ts.
 *
 * Each rule reproduces its Schematron assert of that version, including its quirks (the VAT
 * families do not all test the same thing: BR-S-01 ignores the tax scheme, BR-IG-01 compares the
 * breakdown code untrimmed, BR-O-03/04 look at document level allowances only...):
 * - contexts are XSLT match patterns, evaluated over the whole document (`cac:InvoiceLine` matches a
 *   line wherever it is, e.g. an InvoiceLine inside a CreditNote); a pattern whose predicate raises a
 *   dynamic error does not match (see xpath-nodes.ts);
 * - comparisons follow XPath 2.0 general comparisons on untyped values (string comparison with a
 *   string, xs:double cast with a number, xs:boolean cast with `true()`), on the untrimmed string value;
 * - xs:decimal arithmetic is exact-decimal.ts (exact integers while values are small, decimal.js
 *   otherwise: the results of decimal.js either way) and XPath 2.0 `round()` halves up (round2).
 *
 * Asserts of the artefact that are not declared because they can never fail there:
 * - BR-CO-05, BR-CO-06, BR-CO-07, BR-CO-08: their test is `true()`;
 * - BR-DEC-13, BR-DEC-15: their predicate `[@currencyID = cbc:DocumentCurrencyCode]` (resp.
 *   `cbc:TaxCurrencyCode`) looks for a child of the `cbc:TaxAmount` itself, which has none, so the
 *   test always takes its `not(...)` branch.
 * Within one pattern a node is handled by the first rule whose context matches it (Schematron); the
 * only overlaps are allowances/charges carrying both a `true` and a `false` ChargeIndicator, handled
 * as allowances only, like the artefact.
 */

const declare = ruleDeclarer('EN16931-1.3.8');
/** Declares a rule; its `terms` are the BT/BG ids its message names, unless given. */
function r(id: string, context: Ctx, test: RuleDeclaration['test'], message: string, flag: RuleFlag = 'fatal', terms?: readonly string[]): RuleDeclaration {
  const d = declare(id, context, test, message, flag);
  const t = terms ?? termsIn(message);
  return t.length ? { ...d, terms: t } : d;
}

const ZERO = ExactDecimal.ZERO;
/** xs:decimal arithmetic of the rules (exact-decimal.ts: exact while small, decimal.js otherwise). */
type Decimal = ExactDecimal;
/** XPath 2.0 `round(x * 10 * 10) div 100` (halves towards positive infinity). */
const round2 = (x: Decimal): Decimal => x.round2();
const pat =
  (pattern: string): Ctx =>
  (c) =>
    matchPattern(c, pattern);
const decEq = (a: Decimal | undefined, b: Decimal | undefined) => a !== undefined && b !== undefined && a.eq(b);
/** `exists(path)` relative to `el`, fanning out at every step. */
const has = hasAt;
const hasUnitCode = (q: Element) => attrOf(q, 'unitCode') !== undefined;

// ---------------------------------------------------------------- contexts of the UBL-model pattern

const totals = pat('cac:LegalMonetaryTotal');
/** `cac:TaxTotal/cac:TaxSubtotal` anywhere (BG-23). */
const subtotals = pat('cac:TaxTotal/cac:TaxSubtotal');
/** `cac:InvoicePeriod` not handled by the line period rule (BG-14). */
const docPeriods: Ctx = (c) => without(matchPattern(c, 'cac:InvoicePeriod'), linePeriods(c));
const linePeriods: Ctx = perDoc((c) => [...matchPattern(c, 'cac:InvoiceLine/cac:InvoicePeriod'), ...matchPattern(c, 'cac:CreditNoteLine/cac:InvoicePeriod')]);

function periodOk(p: Element): boolean {
  if (!has(p, 'cbc:EndDate') || !has(p, 'cbc:StartDate')) return true;
  return xsDate(single(p, 'cbc:EndDate'))! >= xsDate(single(p, 'cbc:StartDate'))!;
}

/** `round(sum(...) * 10 * 10) div 100` of the amounts at `qname` of `els`. */
const roundedSum = (els: readonly Element[], qname: string) => round2(sumOf(els, qname));
/** `sum(els/xs:decimal(qname))` (sumDec of xsDecimalChild of each, in order). */
function sumOf(els: readonly Element[], qname: string): Decimal {
  const sum = new DecimalSum();
  for (const e of els) {
    const n = single(e, qname);
    if (n) sum.add(decimalText(n));
  }
  return sum.exactValue();
}

/** `xs:decimal(qname) = round(sum(allowances or charges/xs:decimal(cbc:Amount)) ...) or (not(qname) and not(those))` (BR-CO-11/12). */
function acTotalOk(t: Element, qname: string, charge: boolean): boolean {
  const parent = parentOf(t);
  const acs = parent ? kids(parent, 'cac:AllowanceCharge').filter((a) => chargeIndicatorIs(a, charge)) : [];
  const v = single(t, qname);
  if (v && decEq(xsExact(v), roundedSum(acs, 'cbc:Amount'))) return true;
  return !v && acs.length === 0;
}

/** BR-CO-13: BT-109 = BT-106 + BT-108 - BT-107 (each term only when present). */
function taxExclusiveOk(t: Element): boolean {
  const ch = has(t, 'cbc:ChargeTotalAmount'), al = has(t, 'cbc:AllowanceTotalAmount');
  const excl = xsExactChild(t, 'cbc:TaxExclusiveAmount'), line = xsExactChild(t, 'cbc:LineExtensionAmount');
  if (!ch && !al) return decEq(excl, line);
  const chv = ch ? xsExactChild(t, 'cbc:ChargeTotalAmount') : ZERO, alv = al ? xsExactChild(t, 'cbc:AllowanceTotalAmount') : ZERO;
  if (line === undefined || chv === undefined || alv === undefined) return false;
  return decEq(excl, round2(line.plus(chv).minus(alv)));
}

/** `round((a - b) * 10 * 10) div 100`, empty when an operand is empty. */
const roundedDiff = (a: Decimal | undefined, b: Decimal | undefined) => (a === undefined || b === undefined ? undefined : round2(a.minus(b)));

/** BR-CO-16: BT-115 = BT-112 - BT-113 + BT-114 (each term only when present). */
function payableOk(t: Element): boolean {
  const pay = xsExactChild(t, 'cbc:PayableAmount'), incl = xsExactChild(t, 'cbc:TaxInclusiveAmount');
  const left = has(t, 'cbc:PayableRoundingAmount') ? roundedDiff(pay, xsExactChild(t, 'cbc:PayableRoundingAmount')) : pay;
  const right = has(t, 'cbc:PrepaidAmount') ? roundedDiff(incl, xsExactChild(t, 'cbc:PrepaidAmount')) : incl;
  return decEq(left, right);
}

/**
 * BR-CO-15 for one `cbc:DocumentCurrencyCode` `cur`: exactly one TaxTotal has a `cbc:TaxAmount` in
 * that currency (`count(cac:TaxTotal/xs:decimal(cbc:TaxAmount[@currencyID=$cur])) eq 1`), and
 * BT-112 = round(BT-109 + that amount).
 */
function taxInclusiveOk(root: Element, cur: Element): boolean {
  const amounts = kids(root, 'cac:TaxTotal')
    .map((t) => kids(t, 'cbc:TaxAmount').filter((a) => attrOf(a, 'currencyID') === sv(cur)))
    .filter((as) => as.length > 0)
    .map((as) => {
      if (as.length > 1) throw new XPathDynamicError('XPTY0004: xs:decimal() of more than one TaxAmount');
      return xsExact(as[0])!;
    });
  if (amounts.length !== 1) return false;
  const lmts = kids(root, 'cac:LegalMonetaryTotal');
  const incl = lmts.map((l) => xsExactChild(l, 'cbc:TaxInclusiveAmount')).filter((x): x is Decimal => x !== undefined);
  const excl = lmts.map((l) => xsExactChild(l, 'cbc:TaxExclusiveAmount')).filter((x): x is Decimal => x !== undefined);
  if (excl.length > 1) throw new XPathDynamicError('XPTY0004: arithmetic on more than one TaxExclusiveAmount');
  if (excl.length === 0) return false;
  const expected = round2(excl[0]!.plus(amounts[0]!));
  return incl.some((i) => i.eq(expected));
}

/** BR-CO-17 on one VAT breakdown. */
function breakdownTaxOk(s: Element): boolean {
  const pcts = kids(s, 'cac:TaxCategory').filter(vatScheme).map((t) => xsExactChild(t, 'cbc:Percent')).filter((x): x is Decimal => x !== undefined);
  const tax = xsExactChild(s, 'cbc:TaxAmount');
  const roundedTaxIsZero = tax !== undefined && tax.roundHalfCeil(0).isZero();
  if (pcts.length === 0) return roundedTaxIsZero;
  if (pcts.length > 1) throw new XPathDynamicError('XPTY0004: round() of more than one rate');
  const p = pcts[0]!;
  if (p.roundHalfCeil(0).isZero()) return roundedTaxIsZero;
  const base = xsExactChild(s, 'cbc:TaxableAmount');
  if (tax === undefined || base === undefined) return false;
  const expected = round2(base.abs().times(p.div100()));
  return tax.abs().minus(ExactDecimal.ONE).lt(expected) && tax.abs().plus(ExactDecimal.ONE).gt(expected);
}

/**
 * The prefixes BR-CO-09 accepts, as the artefact writes them: one space-separated string of the ISO
 * 3166-1 alpha-2 codes of the EN 16931 1.3.8 list (with `1A` and `XI`) plus `EL` (Greece), in which
 * the first two characters of the identifier are searched (`contains()`, so a one-character or
 * empty prefix passes too).
 */
const VAT_PREFIXES = ` ${[...ISO_3166_1_ALPHA2_CODE_LIST, 'EL'].sort().join(' ')} `;

// ---------------------------------------------------------------- VAT category families (BR-x-01..14)

/** The VAT category families: rule prefix, UNCL 5305 code, name in the messages. */
const FAMILIES = [
  { p: 'S', code: 'S', name: 'Standard rated' },
  { p: 'Z', code: 'Z', name: 'Zero rated' },
  { p: 'E', code: 'E', name: 'Exempt from VAT' },
  { p: 'AE', code: 'AE', name: 'Reverse charge' },
  { p: 'IC', code: 'K', name: 'Intra-community supply' },
  { p: 'G', code: 'G', name: 'Export outside the EU' },
  { p: 'O', code: 'O', name: 'Not subject to VAT' },
  { p: 'IG', code: 'L', name: 'IGIC' },
  { p: 'IP', code: 'M', name: 'IPSI' },
] as const;
type Family = (typeof FAMILIES)[number];

/**
 * Document-wide VAT identifier facts used by BR-x-02..04, each evaluated at most once per document
 * (in a rule test: an error propagates, every time it is read).
 */
const vatCompany = (pts: readonly Element[]) => pts.some((p) => vatScheme(p) && has(p, 'cbc:CompanyID'));
const vatIdFacts = {
  /** `//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID` (any scheme). */
  sellerAny: perDoc((c) => matchPattern(c, 'cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID').length > 0),
  /** Seller VAT identifier (BT-31): a PartyTaxScheme with the VAT scheme. */
  sellerVat: perDoc((c) => vatCompany(matchPattern(c, 'cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme'))),
  /** Seller tax representative VAT identifier (BT-63). */
  rep: perDoc((c) => vatCompany(matchPattern(c, 'cac:TaxRepresentativeParty/cac:PartyTaxScheme'))),
  /** Buyer VAT identifier (BT-48). */
  buyerVat: perDoc((c) => vatCompany(matchPattern(c, 'cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme'))),
  /** Buyer legal registration identifier (BT-47). */
  buyerLegal: perDoc((c) => matchPattern(c, 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID').length > 0),
};

/** `cac:TaxCategory` children of every `cac:AllowanceCharge` of the document (`//cac:AllowanceCharge[...]`), optionally by ChargeIndicator. */
const anyAcCats = (c: ValidationContext, charge?: boolean): readonly TaxCategory[] =>
  charge === undefined ? allowanceChargeCategories(c) : allowanceChargeCategoriesOf(c, charge);
/** `cac:TaxCategory` of the document level allowances/charges (`(/ubl:Invoice|/cn:CreditNote)/cac:AllowanceCharge[...]`). */
const rootAcCats = rootAllowanceChargeCategoriesOf;
/** `cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory` of the root (the VAT breakdown categories). */
const breakdownCats = breakdownCategories;
/** `[normalize-space(cbc:ID) = code][VAT scheme]`. */
const ofCode = (code: string) => (t: TaxCategory) => t.is(code);

const EMPTY: readonly Element[] = [];
/** Context of BR-x-05: `cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory[code][VAT]` (and credit note lines). */
const lineCatsOf = (code: string): Ctx => (c) => lineCategoriesByCode(c).get(code) ?? EMPTY;
/** Context of BR-x-06: `cac:AllowanceCharge[cbc:ChargeIndicator=false()]/cac:TaxCategory[code][VAT]`, any allowance. */
const allowanceCatsOf = (code: string): Ctx => (c) => allowanceCategoriesByCode(c).get(code) ?? EMPTY;
/** Context of BR-x-07 (charges); a category also matched by BR-x-06 is handled there. */
const chargeCatsOf = (code: string): Ctx => (c) => chargeCategoriesByCode(c).get(code) ?? EMPTY;
/** Context of BR-x-08..10: `/*\/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[code][VAT]`. */
const breakdownCatsOf = (code: string): Ctx => (c) => breakdownCategoriesByCode(c).get(code) ?? EMPTY;

/** A line or an allowance/charge of the root with its tax categories, for BR-x-08. */
interface Taxed {
  readonly el: Element;
  readonly cats: readonly TaxCategory[];
}
/** A line of the root with its categories and its `cbc:LineExtensionAmount` ready for xs:decimal (read once). */
class TaxedLine implements Taxed {
  private read = false;
  private value: string | undefined;
  private error: unknown;
  constructor(
    readonly el: Element,
    readonly cats: readonly TaxCategory[],
  ) {}
  /** The trimmed `cbc:LineExtensionAmount` (undefined when absent); throws XPTY0004 / FORG0001 like `xs:decimal(cbc:LineExtensionAmount)`. */
  lea(): string | undefined {
    if (!this.read) {
      this.read = true;
      try {
        const n = single(this.el, 'cbc:LineExtensionAmount');
        this.value = n ? decimalText(n) : undefined;
      } catch (e) {
        this.error = e;
      }
    }
    if (this.error !== undefined) throw this.error;
    return this.value;
  }
}
/** The root's lines named `lineName` with their `cac:Item/cac:ClassifiedTaxCategory`. */
const rootLines = (c: ValidationContext, lineName: 'cac:InvoiceLine' | 'cac:CreditNoteLine'): readonly TaxedLine[] =>
  lineName === 'cac:InvoiceLine' ? rootInvoiceLines(c) : rootCreditNoteLines(c);
const taxedLines = (lineName: string) => (c: ValidationContext) => kids(c.root, lineName).map((el) => new TaxedLine(el, lineCategories(c, el)));
/** `cac:Item/cac:ClassifiedTaxCategory` of a line. */
const lineCategories = perDocElement((c, l) => nodesAt(l, 'cac:Item/cac:ClassifiedTaxCategory').map((t) => taxCategory(c, t)));
/** `cac:TaxCategory` of an allowance/charge. */
const acCategories = perDocElement((c, a) => kids(a, 'cac:TaxCategory').map((t) => taxCategory(c, t)));
const rootInvoiceLines = perDoc(taxedLines('cac:InvoiceLine'));
const rootCreditNoteLines = perDoc(taxedLines('cac:CreditNoteLine'));
/** The root's allowances/charges with their `cac:TaxCategory`. */
const rootAcs = perDoc((c) => kids(c.root, 'cac:AllowanceCharge').map((el): Taxed => ({ el, cats: acCategories(c, el) })));

/** `count(cats[normalize-space(cbc:ID) = code][VAT scheme, when vat])`: every category is read (XPath filter), so an error anywhere throws. */
function countPicked(cats: readonly TaxCategory[], code: string, vat: boolean): number {
  let n = 0;
  for (const t of cats) if (t.id() === code && (!vat || t.vat())) n++;
  return n;
}
/** `cats.some((t) => normalize-space(t/cbc:ID) = code)` (throws at a category with two IDs met before a match). */
function someCode(cats: readonly TaxCategory[], code: string): boolean {
  for (const t of cats) if (t.id() === code) return true;
  return false;
}
/** `cats.some((t) => xs:decimal(t/cbc:Percent) = rate)`, `rate` given by its decimalKey (throws at an invalid rate met before a match). */
function someRate(cats: readonly TaxCategory[], rate: string): boolean {
  for (const t of cats) if (t.pctKey() === rate) return true;
  return false;
}

/** `sum(lines of category code [at rate]/LineExtensionAmount) + sum(charges) - sum(allowances)` of the root (BR-x-08). */
function categoryBase(c: ValidationContext, code: string, lineName: 'cac:InvoiceLine' | 'cac:CreditNoteLine', rate?: string): Decimal {
  // (no local closures in this hot function: the tsx/esbuild build names each one with a defineProperty call)
  const lines = new DecimalSum();
  for (const l of rootLines(c, lineName)) {
    if (!ofCategory(l.cats, code, rate)) continue;
    const lea = l.lea();
    if (lea !== undefined) lines.add(lea);
  }
  return lines.exactValue().plus(sumOf(rootAcsOf(c, true, code, rate), 'cbc:Amount')).minus(sumOf(rootAcsOf(c, false, code, rate), 'cbc:Amount'));
}
/** `[some category of code][some category at rate]` of a line or an allowance/charge (rate: a decimalKey, or undefined for any). */
function ofCategory(cats: readonly TaxCategory[], code: string, rate: string | undefined): boolean {
  return someCode(cats, code) && (rate === undefined || someRate(cats, rate));
}
/** The root's allowances (`charge` false) or charges of category `code` [at `rate`], in order. */
function rootAcsOf(c: ValidationContext, charge: boolean, code: string, rate: string | undefined): Element[] {
  const out: Element[] = [];
  for (const a of rootAcs(c)) if (chargeIndicatorIs(a.el, charge) && ofCategory(a.cats, code, rate)) out.push(a.el);
  return out;
}
/** BR-x-08 per rate: `../xs:decimal(cbc:TaxableAmount) - 1 < base < ../xs:decimal(cbc:TaxableAmount) + 1` for the lines named `lineName`. */
function baseInRange(c: ValidationContext, sub: Element, code: string, lineName: 'cac:InvoiceLine' | 'cac:CreditNoteLine', rate: string): boolean {
  const lo = taxablePlus(sub, -1), hi = taxablePlus(sub, 1), base = categoryBase(c, code, lineName, rate);
  return lo !== undefined && hi !== undefined && lo.lt(base) && hi.gt(base);
}
/** BR-S-08: some line named `name` (anywhere) has a category `code` and a category at `rate`. */
function lineAtRate(c: ValidationContext, name: string, code: string, rate: string): boolean {
  for (const l of cacAll(c, name)) if (ofCategory(lineCategories(c, l), code, rate)) return true;
  return false;
}
/** BR-S-08: some allowance/charge (any level) has a category `code` and a category at `rate`. */
function acAtRate(c: ValidationContext, code: string, rate: string): boolean {
  for (const a of cacAll(c, 'AllowanceCharge')) if (ofCategory(acCategories(c, a), code, rate)) return true;
  return false;
}

/** `../xs:decimal(cbc:TaxableAmount ± 1)`: the arithmetic is done in xs:double (untyped operand). */
function taxablePlus(sub: Element, delta: number): Decimal | undefined {
  const t = single(sub, 'cbc:TaxableAmount');
  return t ? ExactDecimal.ofNumber(xsDouble(sv(t)) + delta) : undefined;
}

function familyRules(f: Family): RuleDeclaration[] {
  const id = (n: string) => `BR-${f.p}-${n}`;
  const X = f.code;
  const q = `"${f.name}"`;
  const out: RuleDeclaration[] = [];
  const used01 =
    `An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is ${q}`;

  // ---- BR-x-01: the category used on lines / allowances / charges appears in the VAT breakdown
  if (f.p === 'S' || f.p === 'IG' || f.p === 'IP') {
    const vat = f.p !== 'S';
    out.push(r(id('01'), rootCtx, (_, c) => {
      const used = countPicked(anyAcCats(c), X, vat) + countPicked(classifiedCategories(c), X, vat);
      const bd = breakdownCats(c);
      if (used > 0) {
        // BR-S-01 normalises; BR-IG-01 compares the breakdown code untrimmed and ignores its scheme; BR-IP-01 untrimmed with the scheme
        const inBreakdown = f.p === 'S' ? bd.filter((t) => t.id() === X) : f.p === 'IG' ? bd.filter((t) => t.someIdRaw(X)) : bd.filter((t) => t.someIdRaw(X) && t.vat());
        return inBreakdown.length > 0;
      }
      return countPicked(bd, X, vat) === 0;
    }, `${used01} shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with ${q}.`));
  } else {
    out.push(r(id('01'), rootCtx, (_, c) => {
      const used = taxCategories(c).some((t) => t.vat() && t.someIdNs(X)) || classifiedCategories(c).some((t) => t.vat() && t.someIdNs(X));
      if (!used) return true;
      return breakdownCats(c).filter((t) => t.vat()).reduce((n, t) => n + t.nsIds.filter((i) => i === X).length, 0) === 1;
    }, f.p === 'O'
      ? `${used01} shall contain exactly one VAT breakdown group (BG-23) with the VAT category code (BT-118) equal to ${q}.`
      : `${used01} shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with ${q}.`));
  }

  // ---- BR-x-02..04: identifiers required (or, for O, forbidden) when the category is used
  const sellerMsg = (what: string) =>
    `An Invoice that contains ${what} where the VAT category code is ${q} shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).`;
  /** The identifier condition of the family (true = satisfied). */
  const idsOk = (c: ValidationContext): boolean => {
    const v = vatIdFacts;
    switch (f.p) {
      case 'AE': return (v.sellerAny(c) || v.rep(c)) && (v.buyerVat(c) || v.buyerLegal(c));
      case 'IC': return (v.sellerVat(c) || v.rep(c)) && v.buyerVat(c);
      case 'G': return v.sellerVat(c) || v.rep(c);
      case 'O': return !v.sellerVat(c) && !v.rep(c) && !v.buyerVat(c);
      default: return v.sellerAny(c) || v.rep(c);
    }
  };
  const oMsg = (what: string, bt: string) =>
    `An Invoice that contains ${what} where the ${bt} is ${q} shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).`;
  // 02: lines (ClassifiedTaxCategory anywhere)
  out.push(r(id('02'), rootCtx, (_, c) => {
    const ctc = classifiedCategories(c);
    const used = ctc.some(ofCode(X));
    if (used && idsOk(c)) return true;
    // BR-S-02's second branch does not look at the tax scheme
    return f.p === 'S' ? !ctc.some((t) => t.id() === X) : !used;
  }, f.p === 'O' ? oMsg('an Invoice line (BG-25)', 'Invoiced item VAT category code (BT-151)') : sellerMsg('an Invoice line (BG-25)')));
  // 03: allowances, 04: charges (any AllowanceCharge of the document; document level only for O)
  for (const [n, charge] of [['03', false], ['04', true]] as const) {
    const what = charge ? 'a Document level charge (BG-21)' : 'a Document level allowance (BG-20)';
    out.push(r(id(n), rootCtx, (_, c) => {
      const cats = f.p === 'O' ? rootAcCats(c, charge) : anyAcCats(c, charge);
      const used = cats.some(ofCode(X));
      // BR-G-03/04 look for the category without its scheme on the left-hand side
      const usedLeft = f.p === 'G' ? cats.some((t) => t.id() === X) : used;
      if (usedLeft && idsOk(c)) return true;
      // BR-IG-04's right-hand side compares the code untrimmed
      return f.p === 'IG' && charge ? !cats.some((t) => t.someIdRaw(X) && t.vat()) : !used;
    }, f.p === 'O' ? oMsg(what, charge ? 'Document level charge VAT category code (BT-102)' : 'Document level allowance VAT category code (BT-95)') : sellerMsg(what)));
  }

  // ---- BR-x-05..07: VAT rate of lines / allowances / charges
  const rateOk = (t: Element, c: ValidationContext): boolean => {
    switch (f.p) {
      case 'S': return someNumber(kids(t, 'cbc:Percent'), (v) => v > 0);
      case 'IG': case 'IP': return someNumber(kids(t, 'cbc:Percent'), (v) => v >= 0);
      case 'O': return !has(t, 'cbc:Percent');
      default: return taxCategory(c, t).pctKey() === '0'; // xs:decimal(cbc:Percent) = 0
    }
  };
  const rateMsg = (what: string) =>
    f.p === 'S' ? `In ${what} where the VAT category code is ${q} the VAT rate shall be greater than zero.`
      : f.p === 'O' ? `${what} where the VAT category code is ${q} shall not contain a VAT rate.`
        : f.p === 'IG' || f.p === 'IP' ? `In ${what} where the VAT category code is ${q} the VAT rate shall be 0 (zero) or greater than zero.`
          : `In ${what} where the VAT category code is ${q} the VAT rate shall be 0 (zero).`;
  out.push(
    r(id('05'), lineCatsOf(X), rateOk, rateMsg('an Invoice line (BG-25)')),
    r(id('06'), allowanceCatsOf(X), rateOk, rateMsg('a Document level allowance (BG-20)')),
    r(id('07'), chargeCatsOf(X), rateOk, rateMsg('a Document level charge (BG-21)')),
  );

  // ---- BR-x-08: VAT category taxable amount
  const bd = breakdownCatsOf(X);
  const perRate = f.p === 'S' || f.p === 'IG' || f.p === 'IP';
  out.push(r(id('08'), bd, (t, c) => {
    const sub = parentOf(t)!;
    const hasInv = cacAll(c, 'InvoiceLine').length > 0, hasCn = cacAll(c, 'CreditNoteLine').length > 0;
    if (!perRate) {
      const taxable = xsExactChild(sub, 'cbc:TaxableAmount');
      return (hasInv && decEq(taxable, categoryBase(c, X, 'cac:InvoiceLine'))) || (hasCn && decEq(taxable, categoryBase(c, X, 'cac:CreditNoteLine')));
    }
    const rate = taxCategory(c, t).pctKey();
    if (rate === undefined) return true; // every $rate in () satisfies ...
    if (f.p !== 'S') return (hasInv && baseInRange(c, sub, X, 'cac:InvoiceLine', rate)) || (hasCn && baseInRange(c, sub, X, 'cac:CreditNoteLine', rate));
    // BR-S-08: the rate must also be used by a line or by an allowance/charge (any level) of category S
    return (
      ((lineAtRate(c, 'InvoiceLine', X, rate) || acAtRate(c, X, rate)) && baseInRange(c, sub, X, 'cac:InvoiceLine', rate)) ||
      ((lineAtRate(c, 'CreditNoteLine', X, rate) || acAtRate(c, X, rate)) && baseInRange(c, sub, X, 'cac:CreditNoteLine', rate))
    );
  }, `In a VAT breakdown (BG-23) where the VAT category code (BT-118) is ${q} the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are ${q}.`));

  // ---- BR-x-09: VAT category tax amount
  if (perRate) {
    out.push(r(id('09'), bd, (t) => {
      const sub = parentOf(t)!;
      const tax = xsExactChild(sub, 'cbc:TaxAmount'), base = xsExactChild(sub, 'cbc:TaxableAmount'), p = xsExactChild(t, 'cbc:Percent');
      if (tax === undefined || base === undefined || p === undefined) return false;
      const expected = round2(base.abs().times(p.div100()));
      return tax.abs().minus(ExactDecimal.ONE).lt(expected) && tax.abs().plus(ExactDecimal.ONE).gt(expected);
    }, `The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is ${q} shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).`));
  } else {
    out.push(r(id('09'), bd, (t) => decEq(xsExactChild(parentOf(t)!, 'cbc:TaxAmount'), ZERO),
      `The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is ${q} shall be 0 (zero).`));
  }

  // ---- BR-x-10: VAT exemption reason
  const noReason = f.p === 'S' || f.p === 'Z' || f.p === 'IG' || f.p === 'IP';
  out.push(r(id('10'), bd, (t) => {
    const reason = has(t, 'cbc:TaxExemptionReason') || has(t, 'cbc:TaxExemptionReasonCode');
    return noReason ? !reason : reason;
  }, noReason
    ? `A VAT breakdown (BG-23) with VAT Category code (BT-118) ${q} shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).`
    : `A VAT breakdown (BG-23) with VAT Category code (BT-118) ${q} shall have a VAT exemption reason code (BT-121) or a VAT exemption reason text (BT-120).`));

  // ---- family specific rules
  /** The root's VAT breakdown has a category X (`cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[VAT]/cbc:ID[normalize-space(.) = X]`). */
  const inBreakdown = (c: ValidationContext) => breakdownCats(c).some((t) => t.vat() && t.someIdNs(X));
  if (f.p === 'IC') {
    out.push(
      r('BR-IC-11', rootCtx, (el, c) => !inBreakdown(c) || lengthOf1(el, 'cac:Delivery/cbc:ActualDeliveryDate') > 1 || nodesAt(el, 'cac:InvoicePeriod').some(hasChildElements),
        'In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Intra-community supply" the Actual delivery date (BT-72) or the Invoicing period (BG-14) shall not be blank.'),
      r('BR-IC-12', rootCtx, (el, c) => !inBreakdown(c) || lengthOf1(el, 'cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode') > 1,
        'In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Intra-community supply" the Deliver to country code (BT-80) shall not be blank.'),
    );
  }
  if (f.p === 'O') {
    const notO = (t: TaxCategory) => t.id() !== 'O' && t.vat();
    const oMsg2 = (tail: string) => `An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) "Not subject to VAT" shall not contain ${tail}.`;
    out.push(
      r('BR-O-11', rootCtx, (_, c) => !inBreakdown(c) || !breakdownCats(c).some(notO), oMsg2('other VAT breakdown groups (BG-23)')),
      r('BR-O-12', rootCtx, (_, c) => !inBreakdown(c) || !classifiedCategories(c).some(notO),
        oMsg2('an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is not "Not subject to VAT"')),
      r('BR-O-13', rootCtx, (_, c) => !inBreakdown(c) || !anyAcCats(c, false).some(notO),
        oMsg2('Document level allowances (BG-20) where Document level allowance VAT category code (BT-95) is not "Not subject to VAT"')),
      r('BR-O-14', rootCtx, (_, c) => !inBreakdown(c) || !anyAcCats(c, true).some(notO),
        oMsg2('Document level charges (BG-21) where Document level charge VAT category code (BT-102) is not "Not subject to VAT"')),
    );
  }
  return out;
}

/** `string-length(path)` of the nodes at a child path of `el`: 0 when none, XPTY0004 when more than one. */
function lengthOf1(el: Element, path: string): number {
  const nodes = nodesAt(el, path);
  if (nodes.length > 1) throw new XPathDynamicError('XPTY0004: string-length() of more than one node');
  return nodes.length ? stringLength(sv(nodes[0])) : 0;
}

/** BR-B-01/02 (Split payment, Italy): `//cac:TaxCategory/cbc:ID = code or //cac:ClassifiedTaxCategory/cbc:ID = code`, untrimmed. */
const categoryUsed = (c: ValidationContext, code: string) => categoryRawIds(c).has(code);

// ---------------------------------------------------------------- UBL-syntax pattern

/**
 * Context of UBL-DT-01: `//*[ends-with(name(), 'Amount') and not(ends-with(name(), 'PriceAmount'))
 * and not(ancestor::cac:Price/cac:AllowanceCharge)]`: every amount element except prices and anything
 * inside a `cac:Price` that has an allowance (the gross price and the price discount).
 */
const amountCtx: Ctx = (c) => documentWalk(c).amounts.filter((e) => !nameOf(e).endsWith('PriceAmount') && !hasAncestor(e, priceWithAllowance));
const PRICE = qname('cac:Price');
const priceWithAllowance = (a: Element) => hasName(a, PRICE) && has(a, 'cac:AllowanceCharge');
/** Context of UBL-DT-06/07: `//*[ends-with(name(), 'BinaryObject')]`. */
const binaryCtx: Ctx = (c) => documentWalk(c).binaries;

/** `count(nodes[not(preceding::node/. = .)])`: the number of distinct string values (UBL-SR-44/47). */
const distinctValues = (nodes: readonly Element[]) => new Set(nodes.map(sv)).size;
/** `(cac:PartyName/cbc:Name) != (../cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName)` of a Payee. */
function payeeNameDiffers(payee: Element): boolean {
  const parent = parentOf(payee);
  const names = nodesAt(payee, 'cac:PartyName/cbc:Name').map(sv);
  const sellers = parent ? nodesAt(parent, 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName').map(sv) : [];
  return names.some((n) => sellers.some((s) => n !== s));
}
const maxOnce = (path: string) => (el: Element) => atMost(el, path, 1);
/** `cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '130']` of the document. */
const invoicedObjectRefs = (c: ValidationContext) => c.cac('AdditionalDocumentReference').filter((d) => kids(d, 'cbc:DocumentTypeCode').some((t) => sv(t) === '130'));

const FORBIDDEN: RuleDeclaration[] = UBL_FORBIDDEN_PATHS.map(([id, flag, path, message]) => r(id, rootCtx, (el, c) => !pathExists(el, path, c), message, flag, []));

/** UBL-SR: "shall occur maximum once" on root paths: [id, path, message, terms]. */
const ROOT_MAX_ONCE: ReadonlyArray<readonly [string, string, string, readonly string[]]> = [
  ['UBL-SR-01', 'cac:ContractDocumentReference/cbc:ID', 'Contract identifier shall occur maximum once.', ['BT-12']],
  ['UBL-SR-02', 'cac:ReceiptDocumentReference/cbc:ID', 'Receive advice identifier shall occur maximum once', ['BT-15']],
  ['UBL-SR-03', 'cac:DespatchDocumentReference/cbc:ID', 'Despatch advice identifier shall occur maximum once', ['BT-16']],
  ['UBL-SR-05', 'cac:PaymentTerms/cbc:Note', 'Payment terms shall occur maximum once', ['BT-20']],
  ['UBL-SR-08', 'cac:InvoicePeriod', 'Invoice period shall occur maximum once', ['BG-14']],
  ['UBL-SR-09', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName', 'Seller name shall occur maximum once', ['BT-27']],
  ['UBL-SR-10', 'cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name', 'Seller trader name shall occur maximum once', ['BT-28']],
  ['UBL-SR-11', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID', 'Seller legal registration identifier shall occur maximum once', ['BT-30']],
  ['UBL-SR-14', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm', 'Seller additional legal information shall occur maximum once', ['BT-33']],
  ['UBL-SR-15', 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName', 'Buyer name shall occur maximum once', ['BT-44']],
  ['UBL-SR-16', 'cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID', 'Buyer identifier shall occur maximum once', ['BT-46']],
  ['UBL-SR-17', 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID', 'Buyer legal registration identifier shall occur maximum once', ['BT-47']],
  ['UBL-SR-24', 'cac:Delivery', 'Deliver to information shall occur maximum once', ['BG-13']],
  ['UBL-SR-39', 'cac:ProjectReference/cbc:ID', 'Project reference shall occur maximum once.', ['BT-11']],
  ['UBL-SR-40', 'cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name', 'Buyer trade name shall occur maximum once', ['BT-45']],
  ['UBL-SR-45', 'cac:PaymentMeans/cbc:PaymentDueDate', 'Due Date shall occur maximum once', ['BT-9']],
  ['UBL-SR-49', 'cac:InvoicePeriod/cbc:DescriptionCode', 'Value tax point date shall occur maximum once', ['BT-8']],
];

/** Party tax schemes of the seller with (`vat` true) or without a tax scheme id `VAT` (upper-cased, not normalised): UBL-SR-12/13. */
const sellerTaxIds = (root: Element, vat: boolean) =>
  nodesAt(root, 'cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme')
    .filter((p) => kids(p, 'cac:TaxScheme').some((s) => (upperChild(s, 'cbc:ID') === 'VAT') === vat))
    .flatMap((p) => kids(p, 'cbc:CompanyID'));

/** EN 16931 1.3.8 rules (UBL-model and UBL-syntax patterns of ANAF's CIUS-RO 1.0.9 artefact). */
export const EN16931_RULES: readonly RuleDeclaration[] = [
  // ------------------------------------------------------------ UBL-model: document (root)
  r('BR-01', rootCtx, (el) => nonEmptyAt(el, 'cbc:CustomizationID'), 'An Invoice shall have a Specification identifier (BT-24).'),
  r('BR-02', rootCtx, (el) => nonEmptyAt(el, 'cbc:ID'), 'An Invoice shall have an Invoice number (BT-1).'),
  r('BR-03', rootCtx, (el) => nonEmptyAt(el, 'cbc:IssueDate'), 'An Invoice shall have an Invoice issue date (BT-2).'),
  r('BR-04', rootCtx, (el) => nonEmptyAt(el, 'cbc:InvoiceTypeCode') || nonEmptyAt(el, 'cbc:CreditNoteTypeCode'), 'An Invoice shall have an Invoice type code (BT-3).'),
  r('BR-05', rootCtx, (el) => nonEmptyAt(el, 'cbc:DocumentCurrencyCode'), 'An Invoice shall have an Invoice currency code (BT-5).'),
  r('BR-06', rootCtx, (el) => nonEmptyAt(el, 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'), 'An Invoice shall contain the Seller name (BT-27).'),
  r('BR-07', rootCtx, (el) => nonEmptyAt(el, 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'), 'An Invoice shall contain the Buyer name (BT-44).'),
  r('BR-08', rootCtx, (el) => has(el, 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress'), 'An Invoice shall contain the Seller postal address.', 'fatal', ['BG-5']),
  r('BR-10', rootCtx, (el) => has(el, 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress'), 'An Invoice shall contain the Buyer postal address (BG-8).'),
  r('BR-16', rootCtx, (el) => has(el, 'cac:InvoiceLine') || has(el, 'cac:CreditNoteLine'), 'An Invoice shall have at least one Invoice line (BG-25)'),
  r('BR-53', rootCtx, (el, c) => kids(el, 'cbc:TaxCurrencyCode').every((tc) => matchPattern(c, 'cac:TaxTotal/cbc:TaxAmount').some((a) => attrOf(a, 'currencyID') === sv(tc))),
    'If the VAT accounting currency code (BT-6) is present, then the Invoice total VAT amount in accounting currency (BT-111) shall be provided.'),
  r('BR-66', rootCtx, (el) => atMost(el, 'cac:PaymentMeans/cac:CardAccount', 1), 'An Invoice shall contain maximum one Payment Card account (BG-18).'),
  r('BR-67', rootCtx, (el) => atMost(el, 'cac:PaymentMeans/cac:PaymentMandate', 1), 'An Invoice shall contain maximum one Payment Mandate (BG-19).'),
  r('BR-CO-03', rootCtx, (el) => !(has(el, 'cbc:TaxPointDate') && has(el, 'cac:InvoicePeriod/cbc:DescriptionCode')),
    'Value added tax point date (BT-7) and Value added tax point date code (BT-8) are mutually exclusive.'),
  r('BR-CO-15', rootCtx, (el) => kids(el, 'cbc:DocumentCurrencyCode').every((cur) => taxInclusiveOk(el, cur)),
    'Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total VAT amount (BT-110).'),
  r('BR-CO-18', rootCtx, (el) => has(el, 'cac:TaxTotal/cac:TaxSubtotal'), 'An Invoice shall at least have one VAT breakdown group (BG-23).'),
  r('BR-B-01', rootCtx, (_, c) => !categoryUsed(c, 'B') || !c.cbc('IdentificationCode').some((i) => sv(i) !== 'IT'),
    'An Invoice where the VAT category code (BT-151, BT-95 or BT-102) is “Split payment” shall be a domestic Italian invoice.'),
  r('BR-B-02', rootCtx, (_, c) => !categoryUsed(c, 'B') || !categoryUsed(c, 'S'),
    'An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is “Split payment" shall not contain an invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is “Standard rated”.'),
  // ------------------------------------------------------------ UBL-model: parties, references, payment
  r('BR-09', pat('cac:AccountingSupplierParty/cac:Party/cac:PostalAddress'), (a) => nonEmptyAt(a, 'cac:Country/cbc:IdentificationCode'), 'The Seller postal address (BG-5) shall contain a Seller country code (BT-40).'),
  r('BR-11', pat('cac:AccountingCustomerParty/cac:Party/cac:PostalAddress'), (a) => nonEmptyAt(a, 'cac:Country/cbc:IdentificationCode'), 'The Buyer postal address shall contain a Buyer country code (BT-55).', 'fatal', ['BG-8', 'BT-55']),
  r('BR-17', pat('cac:PayeeParty'), (p) => {
    if (!has(p, 'cac:PartyName/cbc:Name')) return false;
    const parent = parentOf(p);
    const seller = (path: string) => (parent ? nodesAt(parent, `cac:AccountingSupplierParty/cac:Party/${path}`).map(sv) : []);
    const same = (mine: readonly Element[], theirs: readonly string[]) => mine.some((m) => theirs.includes(sv(m)));
    return !same(nodesAt(p, 'cac:PartyName/cbc:Name'), seller('cac:PartyName/cbc:Name')) && !same(nodesAt(p, 'cac:PartyIdentification/cbc:ID'), seller('cac:PartyIdentification/cbc:ID'));
  }, 'The Payee name (BT-59) shall be provided in the Invoice, if the Payee (BG-10) is different from the Seller (BG-4)'),
  r('BR-18', pat('cac:TaxRepresentativeParty'), (t) => nonEmptyAt(t, 'cac:PartyName/cbc:Name'), 'The Seller tax representative name (BT-62) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11)'),
  r('BR-19', pat('cac:TaxRepresentativeParty'), (t) => has(t, 'cac:PostalAddress'), 'The Seller tax representative postal address (BG-12) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11).'),
  r('BR-56', pat('cac:TaxRepresentativeParty'), (t) => kids(t, 'cac:PartyTaxScheme').some((p) => vatScheme(p) && has(p, 'cbc:CompanyID')), 'Each Seller tax representative party (BG-11) shall have a Seller tax representative VAT identifier (BT-63).'),
  r('BR-20', pat('cac:TaxRepresentativeParty/cac:PostalAddress'), (a) => nonEmptyAt(a, 'cac:Country/cbc:IdentificationCode'), 'The Seller tax representative postal address (BG-12) shall contain a Tax representative country code (BT-69), if the Seller (BG-4) has a Seller tax representative party (BG-11).'),
  r('BR-CO-26', pat('cac:AccountingSupplierParty'), (s) => nodesAt(s, 'cac:Party/cac:PartyTaxScheme').some((p) => vatScheme(p) && has(p, 'cbc:CompanyID')) || has(s, 'cac:Party/cac:PartyIdentification/cbc:ID') || has(s, 'cac:Party/cac:PartyLegalEntity/cbc:CompanyID'),
    'In order for the buyer to automatically identify a supplier, the Seller identifier (BT-29), the Seller legal registration identifier (BT-30) and/or the Seller VAT identifier (BT-31) shall be present.'),
  r('BR-62', pat('cac:AccountingSupplierParty/cac:Party/cbc:EndpointID'), (e) => attrOf(e, 'schemeID') !== undefined, 'The Seller electronic address (BT-34) shall have a Scheme identifier.'),
  r('BR-63', pat('cac:AccountingCustomerParty/cac:Party/cbc:EndpointID'), (e) => attrOf(e, 'schemeID') !== undefined, 'The Buyer electronic address (BT-49) shall have a Scheme identifier.'),
  r('BR-CO-09', (c) => safeFilter(matchPattern(c, 'cac:PartyTaxScheme'), vatScheme), (p) => VAT_PREFIXES.includes([...sv(single(p, 'cbc:CompanyID'))].slice(0, 2).join('')),
    'The Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) shall have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.'),
  r('BR-52', pat('cac:AdditionalDocumentReference'), (d) => nonEmptyAt(d, 'cbc:ID'), 'Each Additional supporting document (BG-24) shall contain a Supporting document reference (BT-122).'),
  r('BR-55', pat('cac:BillingReference'), (b) => has(b, 'cac:InvoiceDocumentReference/cbc:ID'), 'Each Preceding Invoice reference (BG-3) shall contain a Preceding Invoice reference (BT-25).'),
  r('BR-57', pat('cac:Delivery/cac:DeliveryLocation/cac:Address'), (a) => has(a, 'cac:Country/cbc:IdentificationCode'), 'Each Deliver to address (BG-15) shall contain a Deliver to country code (BT-80).'),
  r('BR-49', pat('cac:PaymentMeans'), (p) => has(p, 'cbc:PaymentMeansCode'), 'A Payment instruction (BG-16) shall specify the Payment means type code (BT-81).'),
  r('BR-61', pat('cac:PaymentMeans'), (p) => {
    const code = nsChild(p, 'cbc:PaymentMeansCode');
    return (has(p, 'cac:PayeeFinancialAccount/cbc:ID') && (code === '30' || code === '58')) || (code !== '30' && code !== '58');
  }, 'If the Payment means type code (BT-81) means SEPA credit transfer, Local credit transfer or Non-SEPA international credit transfer, the Payment account identifier (BT-84) shall be present.'),
  r('BR-50', (c) => safeFilter(matchPattern(c, 'cac:PaymentMeans/cac:PayeeFinancialAccount'), (a) => kids(parentOf(a)!, 'cbc:PaymentMeansCode').some((m) => sv(m) === '30' || sv(m) === '58')),
    (a) => nonEmptyAt(a, 'cbc:ID'), 'A Payment account identifier (BT-84) shall be present if Credit transfer (BG-17) information is provided in the Invoice.'),
  r('BR-51', pat('cac:PaymentMeans/cac:CardAccount'), (a) => lengthOf(a, 'cbc:PrimaryAccountNumberID') <= 10,
    'In accordance with card payments security standards an invoice should never include a full card primary account number (BT-87).', 'warning'),
  // ------------------------------------------------------------ UBL-model: totals (BG-22)
  r('BR-12', totals, (t) => has(t, 'cbc:LineExtensionAmount'), 'An Invoice shall have the Sum of Invoice line net amount (BT-106).'),
  r('BR-13', totals, (t) => has(t, 'cbc:TaxExclusiveAmount'), 'An Invoice shall have the Invoice total amount without VAT (BT-109).'),
  r('BR-14', totals, (t) => has(t, 'cbc:TaxInclusiveAmount'), 'An Invoice shall have the Invoice total amount with VAT (BT-112).'),
  r('BR-15', totals, (t) => has(t, 'cbc:PayableAmount'), 'An Invoice shall have the Amount due for payment (BT-115).'),
  r('BR-CO-10', totals, (t, c) => decEq(xsExactChild(t, 'cbc:LineExtensionAmount'), roundedSum(allLines(c), 'cbc:LineExtensionAmount')),
    'Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).'),
  r('BR-CO-11', totals, (t) => acTotalOk(t, 'cbc:AllowanceTotalAmount', false), 'Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92).'),
  r('BR-CO-12', totals, (t) => acTotalOk(t, 'cbc:ChargeTotalAmount', true), 'Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99).'),
  r('BR-CO-13', totals, taxExclusiveOk,
    'Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) - Sum of allowances on document level (BT-107) + Sum of charges on document level (BT-108).'),
  r('BR-CO-16', totals, payableOk, 'Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount (BT-113) +Rounding amount (BT-114).'),
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
  ).map(([id, p, label]) => r(id, totals, (t) => decimalsOf(t, p) <= 2, decMsg(label))),
  r('BR-CO-25', pat('/ubl:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount'), (p, c) => {
    const v = xsDouble(sv(p));
    return (v > 0 && (c.cbc('DueDate').length > 0 || matchPattern(c, 'cac:PaymentTerms/cbc:Note').length > 0)) || v <= 0;
  }, 'In case the Amount due for payment (BT-115) is positive, either the Payment due date (BT-9) or the Payment terms (BT-20) shall be present.'),
  // ------------------------------------------------------------ UBL-model: document level allowances and charges
  r('BR-31', docAllowances, (a) => has(a, 'cbc:Amount'), 'Each Document level allowance (BG-20) shall have a Document level allowance amount (BT-92).'),
  r('BR-32', docAllowances, (a) => kids(a, 'cac:TaxCategory').some((t) => vatScheme(t) && has(t, 'cbc:ID')), 'Each Document level allowance (BG-20) shall have a Document level allowance VAT category code (BT-95).'),
  r('BR-33', docAllowances, hasReason, 'Each Document level allowance (BG-20) shall have a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98).'),
  r('BR-CO-21', docAllowances, hasReason, 'Each Document level allowance (BG-20) shall contain a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98), or both.'),
  r('BR-DEC-01', docAllowances, (a) => decimalsOf(a, 'cbc:Amount') <= 2, decMsg('Document level allowance amount (BT-92)')),
  r('BR-DEC-02', docAllowances, (a) => decimalsOf(a, 'cbc:BaseAmount') <= 2, decMsg('Document level allowance base amount (BT-93)')),
  r('BR-36', docCharges, (a) => has(a, 'cbc:Amount'), 'Each Document level charge (BG-21) shall have a Document level charge amount (BT-99).'),
  r('BR-37', docCharges, (a) => kids(a, 'cac:TaxCategory').some((t) => vatScheme(t) && has(t, 'cbc:ID')), 'Each Document level charge (BG-21) shall have a Document level charge VAT category code (BT-102).'),
  r('BR-38', docCharges, hasReason, 'Each Document level charge (BG-21) shall have a Document level charge reason (BT-104) or a Document level charge reason code (BT-105).'),
  r('BR-CO-22', docCharges, hasReason, 'Each Document level charge (BG-21) shall contain a Document level charge reason (BT-104) or a Document level charge reason code (BT-105), or both.'),
  r('BR-DEC-05', docCharges, (a) => decimalsOf(a, 'cbc:Amount') <= 2, decMsg('Document level charge amount (BT-99)')),
  r('BR-DEC-06', docCharges, (a) => decimalsOf(a, 'cbc:BaseAmount') <= 2, decMsg('Document level charge base amount (BT-100)')),
  // ------------------------------------------------------------ UBL-model: VAT breakdown (BG-23)
  r('BR-CO-14', (c) => kids(c.root, 'cac:TaxTotal'), (t) => !has(t, 'cac:TaxSubtotal') || decEq(xsExactChild(t, 'cbc:TaxAmount'), roundedSum(kids(t, 'cac:TaxSubtotal'), 'cbc:TaxAmount')),
    'Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).'),
  r('BR-45', subtotals, (s) => has(s, 'cbc:TaxableAmount'), 'Each VAT breakdown (BG-23) shall have a VAT category taxable amount (BT-116).'),
  r('BR-46', subtotals, (s) => has(s, 'cbc:TaxAmount'), 'Each VAT breakdown (BG-23) shall have a VAT category tax amount (BT-117).'),
  r('BR-47', subtotals, (s) => kids(s, 'cac:TaxCategory').some((t) => vatScheme(t) && has(t, 'cbc:ID')), 'Each VAT breakdown (BG-23) shall be defined through a VAT category code (BT-118).'),
  r('BR-48', subtotals, (s) => {
    const cats = kids(s, 'cac:TaxCategory').filter(vatScheme);
    return cats.some((t) => has(t, 'cbc:Percent')) || cats.some((t) => nsChild(t, 'cbc:ID') === 'O');
  }, 'Each VAT breakdown (BG-23) shall have a VAT category rate (BT-119), except if the Invoice is not subject to VAT.'),
  r('BR-CO-17', subtotals, breakdownTaxOk, 'VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) x (VAT category rate (BT-119) / 100), rounded to two decimals.'),
  r('BR-DEC-19', subtotals, (s) => decimalsOf(s, 'cbc:TaxableAmount') <= 2, decMsg('VAT category taxable amount (BT-116)')),
  r('BR-DEC-20', subtotals, (s) => decimalsOf(s, 'cbc:TaxAmount') <= 2, decMsg('VAT category tax amount (BT-117)')),
  // ------------------------------------------------------------ UBL-model: periods, lines, items
  r('BR-29', docPeriods, periodOk, 'If both Invoicing period start date (BT-73) and Invoicing period end date (BT-74) are given then the Invoicing period end date (BT-74) shall be later or equal to the Invoicing period start date (BT-73).'),
  r('BR-CO-19', docPeriods, (p) => has(p, 'cbc:StartDate') || has(p, 'cbc:EndDate') || has(p, 'cbc:DescriptionCode'),
    'If Invoicing period (BG-14) is used, the Invoicing period start date (BT-73) or the Invoicing period end date (BT-74) shall be filled, or both.'),
  r('BR-30', linePeriods, periodOk, 'If both Invoice line period start date (BT-134) and Invoice line period end date (BT-135) are given then the Invoice line period end date (BT-135) shall be later or equal to the Invoice line period start date (BT-134).'),
  r('BR-CO-20', linePeriods, (p) => has(p, 'cbc:StartDate') || has(p, 'cbc:EndDate'),
    'If Invoice line period (BG-26) is used, the Invoice line period start date (BT-134) or the Invoice line period end date (BT-135) shall be filled, or both.'),
  r('BR-21', allLines, lineTest((l) => nonEmptyAt(l, 'cbc:ID')), 'Each Invoice line (BG-25) shall have an Invoice line identifier (BT-126).'),
  r('BR-22', allLines, lineTest((l) => has(l, 'cbc:InvoicedQuantity') || has(l, 'cbc:CreditedQuantity')), 'Each Invoice line (BG-25) shall have an Invoiced quantity (BT-129).'),
  r('BR-23', allLines, lineTest((l) => someAt(l, 'cbc:InvoicedQuantity', hasUnitCode) || someAt(l, 'cbc:CreditedQuantity', hasUnitCode)),
    'An Invoice line (BG-25) shall have an Invoiced quantity unit of measure code (BT-130).'),
  r('BR-24', allLines, lineTest((l) => has(l, 'cbc:LineExtensionAmount')), 'Each Invoice line (BG-25) shall have an Invoice line net amount (BT-131).'),
  r('BR-25', allLines, lineTest((l) => nonEmptyAt(l, 'cac:Item/cbc:Name')), 'Each Invoice line (BG-25) shall contain the Item name (BT-153).'),
  r('BR-26', allLines, lineTest((l) => has(l, 'cac:Price/cbc:PriceAmount')), 'Each Invoice line (BG-25) shall contain the Item net price (BT-146).'),
  r('BR-28', allLines, lineTest((l) => {
    // no gross price: someNumber() of nothing is false (no error), then count() = 0 holds
    return !hasAt(l, 'cac:Price/cac:AllowanceCharge/cbc:BaseAmount') || someNumber(nodesAt(l, 'cac:Price/cac:AllowanceCharge/cbc:BaseAmount'), (v) => v >= 0);
  }), 'The Item gross price (BT-148) shall NOT be negative.'),
  r('BR-CO-04', allLines, lineTest((l, c) => lineCategories(c, l).some((t) => t.vat() && t.hasId())),
    'Each Invoice line (BG-25) shall be categorized with an Invoiced item VAT category code (BT-151).'),
  r('BR-DEC-23', allLines, lineTest((l) => decimalsOf(l, 'cbc:LineExtensionAmount') <= 2), decMsg('Invoice line net amount (BT-131)')),
  r('BR-41', lineAllowances, (a) => has(a, 'cbc:Amount'), 'Each Invoice line allowance (BG-27) shall have an Invoice line allowance amount (BT-136).'),
  r('BR-42', lineAllowances, hasReason, 'Each Invoice line allowance (BG-27) shall have an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140).'),
  r('BR-CO-23', lineAllowances, hasReason, 'Each Invoice line allowance (BG-27) shall contain an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140), or both.'),
  r('BR-DEC-24', lineAllowances, (a) => decimalsOf(a, 'cbc:Amount') <= 2, decMsg('Invoice line allowance amount (BT-136)')),
  r('BR-DEC-25', lineAllowances, (a) => decimalsOf(a, 'cbc:BaseAmount') <= 2, decMsg('Invoice line allowance base amount (BT-137)')),
  r('BR-43', lineCharges, (a) => has(a, 'cbc:Amount'), 'Each Invoice line charge (BG-28) shall have an Invoice line charge amount (BT-141).'),
  r('BR-44', lineCharges, hasReason, 'Each Invoice line charge shall have an Invoice line charge reason or an invoice line allowance reason code.', 'fatal', ['BG-28', 'BT-144', 'BT-145']),
  r('BR-CO-24', lineCharges, hasReason, 'Each Invoice line charge (BG-28) shall contain an Invoice line charge reason (BT-144) or an Invoice line charge reason code (BT-145), or both.'),
  r('BR-DEC-27', lineCharges, (a) => decimalsOf(a, 'cbc:Amount') <= 2, decMsg('Invoice line charge amount (BT-141)')),
  r('BR-DEC-28', lineCharges, (a) => decimalsOf(a, 'cbc:BaseAmount') <= 2, decMsg('Invoice line charge base amount (BT-142)')),
  r('BR-54', pat('cac:AdditionalItemProperty'), (p) => has(p, 'cbc:Name') && has(p, 'cbc:Value'), 'Each Item attribute (BG-32) shall contain an Item attribute name (BT-160) and an Item attribute value (BT-161).'),
  r('BR-64', (c) => [...matchPattern(c, 'cac:InvoiceLine/cac:Item/cac:StandardItemIdentification/cbc:ID'), ...matchPattern(c, 'cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification/cbc:ID')],
    (e) => attrOf(e, 'schemeID') !== undefined, 'The Item standard identifier (BT-157) shall have a Scheme identifier.'),
  r('BR-65', (c) => [...matchPattern(c, 'cac:InvoiceLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode'), ...matchPattern(c, 'cac:CreditNoteLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode')],
    (e) => attrOf(e, 'listID') !== undefined, 'The Item classification identifier (BT-158) shall have a Scheme identifier.'),
  // ------------------------------------------------------------ UBL-model: VAT category families
  ...FAMILIES.flatMap(familyRules),
  // ------------------------------------------------------------ UBL-syntax
  r('UBL-SR-42', pat('cac:AccountingSupplierParty/cac:Party'), (p) => kids(p, 'cac:PartyTaxScheme').length <= 2, 'Party tax scheme shall occur maximum twice in accounting supplier party', 'fatal', ['BT-31', 'BT-32']),
  r('UBL-SR-33', pat('cac:AdditionalDocumentReference'), maxOnce('cbc:DocumentDescription'), 'Supporting document description shall occur maximum once', 'fatal', ['BT-123']),
  r('UBL-SR-43', pat('cac:AdditionalDocumentReference'), (d, c) => {
    const codes = kids(d, 'cbc:DocumentTypeCode').map(sv);
    return codes.includes('130') || (localNameOf(c.root) === 'CreditNote' && codes.includes('50')) || (!kids(d, 'cbc:ID').some((i) => attrOf(i, 'scheme') !== undefined) && codes.length === 0);
  }, 'Scheme identifier shall only be used for invoiced object (document type code with value 130)', 'fatal', ['BT-18']),
  r('UBL-DT-01', amountCtx, (a) => decimalsOf(a) <= 2, 'Amounts shall be decimal up to two fraction digits'),
  r('UBL-DT-06', binaryCtx, (b) => attrOf(b, 'mimeCode') !== undefined, 'Binary object elements shall contain the mime code attribute', 'fatal', ['BT-125']),
  r('UBL-DT-07', binaryCtx, (b) => attrOf(b, 'filename') !== undefined, 'Binary object elements shall contain the file name attribute', 'fatal', ['BT-125']),
  r('UBL-SR-25', pat('cac:Delivery'), maxOnce('cac:DeliveryParty/cac:PartyName/cbc:Name'), 'Deliver to party name shall occur maximum once', 'fatal', ['BT-70']),
  r('UBL-SR-30', (c) => safeFilter(matchPattern(c, 'cac:AllowanceCharge'), (a) => chargeIndicatorIs(a, false)), maxOnce('cbc:AllowanceChargeReason'),
    'Document level allowance reason shall occur maximum once', 'fatal', ['BT-97']),
  r('UBL-SR-31', (c) => safeFilter(matchPattern(c, 'cac:AllowanceCharge'), (a) => chargeIndicatorIs(a, true) && !chargeIndicatorIs(a, false)), maxOnce('cbc:AllowanceChargeReason'),
    'Document level charge reason shall occur maximum once', 'fatal', ['BT-104']),
  ...ROOT_MAX_ONCE.map(([id, path, message, terms]) => r(id, rootCtx, maxOnce(path), message, 'fatal', terms)),
  r('UBL-SR-04', rootCtx, (el) => kids(el, 'cac:AdditionalDocumentReference').filter((d) => kids(d, 'cbc:DocumentTypeCode').some((t) => sv(t) === '130')).flatMap((d) => kids(d, 'cbc:ID')).length <= 1,
    'Invoice object identifier shall occur maximum once', 'fatal', ['BT-18']),
  r('UBL-SR-12', rootCtx, (el) => sellerTaxIds(el, true).length <= 1, 'Seller VAT identifier shall occur maximum once', 'fatal', ['BT-31']),
  r('UBL-SR-13', rootCtx, (el) => sellerTaxIds(el, false).length <= 1, 'Seller tax registration shall occur maximum once', 'fatal', ['BT-32']),
  r('UBL-SR-18', rootCtx, (el) => nodesAt(el, 'cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme').filter((p) => kids(p, 'cac:TaxScheme').some((s) => upperChild(s, 'cbc:ID') === 'VAT')).flatMap((p) => kids(p, 'cbc:CompanyID')).length <= 1,
    'Buyer VAT identifier shall occur maximum once', 'fatal', ['BT-48']),
  r('UBL-SR-29', rootCtx, (_, c) => matchPattern(c, 'cac:PartyIdentification/cbc:ID').filter((i) => (attrOf(i, 'schemeID') ?? '').toUpperCase() === 'SEPA').length <= 1,
    'Bank creditor reference shall occur maximum once', 'fatal', ['BT-90']),
  r('UBL-SR-44', rootCtx, (_, c) => distinctValues(c.cbc('PaymentID')) <= 1, 'An Invoice may only have one unique PaymentID, but the PaymentID may be used for multiple PaymentMeans', 'fatal', ['BT-83']),
  r('UBL-SR-46', rootCtx, (el) => nodesAt(el, 'cac:PaymentMeans/cbc:PaymentMeansCode').filter((m) => attrOf(m, 'name') !== undefined).length <= 1, 'Payment means text shall occur maximum once', 'fatal', ['BT-82']),
  r('UBL-SR-47', rootCtx, (_, c) => distinctValues(c.cbc('PaymentMeansCode')) <= 1, 'When there are more than one payment means code, they shall be equal', 'fatal', ['BT-81']),
  r('UBL-CR-002', rootCtx, (el) => !has(el, 'cbc:UBLVersionID') || kids(el, 'cbc:UBLVersionID').some((v) => sv(v) === '2.1'), 'A UBL invoice should not include the UBLVersionID or it should be 2.1', 'warning', []),
  r('UBL-CR-412', rootCtx, (el, c) => !has(el, 'cac:PaymentMeans/cbc:PaymentDueDate') || isNamed(c.root, 'cn:CreditNote'), 'A UBL invoice should not include the PaymentMeans PaymentDueDate', 'warning', []),
  r('UBL-CR-420', rootCtx, (el) => !has(el, 'cac:PaymentMeans/cac:CardAccount/cbc:CV2ID'), 'A UBL invoice should not include the PaymentMeans CardAccount CV2ID', 'warning', []),
  r('UBL-CR-665', rootCtx, (_, c) => !c.cac('AdditionalDocumentReference')
    .filter((d) => kids(d, 'cbc:DocumentTypeCode').some((t) => sv(t) !== '130') || !has(d, 'cbc:DocumentTypeCode'))
    .some((d) => kids(d, 'cbc:ID').some((i) => attrOf(i, 'schemeID') !== undefined)),
  "A UBL invoice should not include the AdditionalDocumentReference ID schemeID unless the DocumentTypeCode equals '130'", 'warning', []),
  r('UBL-CR-666', rootCtx, (_, c) => !invoicedObjectRefs(c).some((d) => has(d, 'cac:Attachment')),
    'A UBL invoice shall not include an AdditionalDocumentReference simultaneously referring an Invoice Object Identifier and an Attachment', 'fatal', ['BT-18', 'BG-24']),
  r('UBL-CR-673', rootCtx, (_, c) => !invoicedObjectRefs(c).some((d) => has(d, 'cbc:DocumentDescription')),
    'A UBL invoice shall not include an AdditionalDocumentReference simultaneously referring an Invoice Object Identifier and an Document Description', 'fatal', ['BT-18', 'BT-123']),
  r('UBL-DT-18', rootCtx, (_, c) => (c.attributeCounts.get('name') ?? 0) - c.cbc('PaymentMeansCode').filter((m) => attrOf(m, 'name') !== undefined).length <= 0,
    'Name attribute should not be present', 'warning', []),
  r('UBL-SR-34', allLines, lineTest(maxOnce('cbc:Note')), 'Invoice line note shall occur maximum once', 'fatal', ['BT-127']),
  r('UBL-SR-35', allLines, lineTest(maxOnce('cac:OrderLineReference/cbc:LineID')), 'Referenced purchase order line identifier shall occur maximum once', 'fatal', ['BT-132']),
  r('UBL-SR-36', allLines, lineTest(maxOnce('cac:InvoicePeriod')), 'Invoice line period shall occur maximum once', 'fatal', ['BG-26']),
  r('UBL-SR-37', allLines, lineTest(maxOnce('cac:Price/cac:AllowanceCharge/cbc:Amount')), 'Item price discount shall occur maximum once', 'fatal', ['BT-147']),
  r('UBL-SR-48', allLines, lineTest((l) => countAt(l, 'cac:Item/cac:ClassifiedTaxCategory') === 1), 'Invoice lines shall have one and only one classified tax category.', 'fatal', ['BG-30']),
  r('UBL-SR-50', allLines, lineTest(maxOnce('cac:Item/cbc:Description')), 'Item description shall occur maximum once', 'fatal', ['BT-154']),
  r('UBL-SR-19', pat('cac:PayeeParty'), (p) => atMost(p, 'cac:PartyName/cbc:Name', 1) && payeeNameDiffers(p),
    'Payee name shall occur maximum once, if the Payee is different from the Seller', 'fatal', ['BT-59']),
  r('UBL-SR-20', pat('cac:PayeeParty'), (p) => nodesAt(p, 'cac:PartyIdentification/cbc:ID').filter((i) => (attrOf(i, 'schemeID') ?? '').toUpperCase() !== 'SEPA').length <= 1 && payeeNameDiffers(p),
    'Payee identifier shall occur maximum once, if the Payee is different from the Seller', 'fatal', ['BT-60']),
  r('UBL-SR-21', pat('cac:PayeeParty'), (p) => atMost(p, 'cac:PartyLegalEntity/cbc:CompanyID', 1) && payeeNameDiffers(p),
    'Payee legal registration identifier shall occur maximum once, if the Payee is different from the Seller', 'fatal', ['BT-61']),
  r('UBL-SR-26', pat('cac:PaymentMeans'), maxOnce('cbc:PaymentID'), 'Payment reference shall occur maximum once', 'fatal', ['BT-83']),
  r('UBL-SR-27', pat('cac:PaymentMeans'), maxOnce('cbc:PaymentMeansCode'), 'Payment means text shall occur maximum once', 'fatal', ['BT-81']),
  r('UBL-SR-28', pat('cac:PaymentMeans'), maxOnce('cac:PaymentMandate/cbc:ID'), 'Mandate reference identifier shall occur maximum once', 'fatal', ['BT-89']),
  r('UBL-SR-06', pat('cac:BillingReference'), maxOnce('cac:InvoiceDocumentReference'), 'Preceding invoice reference shall occur maximum once', 'fatal', ['BG-3']),
  r('UBL-SR-07', pat('cac:BillingReference'), (b) => has(b, 'cac:InvoiceDocumentReference/cbc:ID'), 'If there is a preceding invoice reference, the preceding invoice number shall be present', 'fatal', ['BT-25']),
  r('UBL-SR-22', pat('cac:TaxRepresentativeParty'), maxOnce('cac:Party/cac:PartyName/cbc:Name'), 'Seller tax representative name shall occur maximum once, if the Seller has a tax representative', 'fatal', ['BT-62']),
  r('UBL-SR-23', pat('cac:TaxRepresentativeParty'), maxOnce('cac:Party/cac:PartyTaxScheme/cbc:CompanyID'), 'Seller tax representative VAT identifier shall occur maximum once, if the Seller has a tax representative', 'fatal', ['BT-63']),
  r('UBL-SR-32', pat('cac:TaxSubtotal'), maxOnce('cac:TaxCategory/cbc:TaxExemptionReason'), 'VAT exemption reason text shall occur maximum once', 'fatal', ['BT-120']),
  ...FORBIDDEN,
];
