import type { XElement as Element } from '../../xml/xml-tree.js';
import type { ValidationContext } from '../validation-context.js';
import { normalizeSpace } from '../xpath-lite.js';
import {
  cacAll,
  chargeIndicatorIs,
  childElements,
  decimalKey,
  decimalText,
  hasName,
  kids,
  matchPattern,
  nodesAt,
  parentOf,
  perDoc,
  perDocElement,
  qname,
  single,
  sv,
  taxSchemeIsVat,
  XPathDynamicError,
} from './xpath-nodes.js';

/**
 * The VAT category facts the EN 16931 rules read over and over (BR-x-01..10 of the nine VAT category
 * families, BR-CO-04, BR-B-01/02, BR-O-11..14), computed once per category element and once per
 * document, so that a 1,000-line invoice does not re-read 1,000 `cac:ClassifiedTaxCategory` for
 * each of some forty rules.
 *
 * The facts keep XPath's errors: a fact whose evaluation raised a dynamic error (a category with two
 * `cbc:ID`, a tax scheme with two `cbc:ID`, a `cbc:Percent` that is no xs:decimal) throws that same
 * error each time it is read, so a rule reading facts in the order the Schematron evaluates its test
 * fails (or, in a match pattern, does not match) exactly where the direct evaluation would.
 */

const ID = qname('cbc:ID');
const TAX_SCHEME = qname('cac:TaxScheme');

/** Facts of one `cac:TaxCategory` / `cac:ClassifiedTaxCategory` element. */
export class TaxCategory {
  private readonly idValue: string = '';
  private readonly idError: unknown;
  private readonly vatValue: boolean = false;
  private readonly vatError: unknown;
  private pctKeyRead = false;
  private pctKeyValue: string | undefined;
  private pctKeyError: unknown;
  private readonly firstId: Element | undefined;
  private readonly idCount: number = 0;
  private raw: readonly string[] | undefined;
  private normalized: readonly string[] | undefined;

  constructor(readonly el: Element) {
    // one pass over the children: the cbc:ID children and, in order, the cac:TaxScheme ones until one decides vatScheme
    let vatDecided = false;
    const ks = childElements(el);
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i]!;
      if (hasName(k, ID)) {
        if (this.idCount++ === 0) this.firstId = k;
      } else if (!vatDecided && hasName(k, TAX_SCHEME)) {
        try {
          if (taxSchemeIsVat(k)) vatDecided = this.vatValue = true;
        } catch (e) {
          this.vatError = e;
          vatDecided = true;
        }
      }
    }
    if (this.idCount > 1) this.idError = new XPathDynamicError('XPTY0004: more than one cbc:ID');
    else this.idValue = normalizeSpace(sv(this.firstId));
  }

  /** `normalize-space(cbc:ID)`; throws XPTY0004 when the category has two or more `cbc:ID`. */
  id(): string {
    if (this.idError !== undefined) throw this.idError;
    return this.idValue;
  }

  /** xpath-nodes.ts `vatScheme`: some `cac:TaxScheme` with ID VAT (any case and spacing); throws like it. */
  vat(): boolean {
    if (this.vatError !== undefined) throw this.vatError;
    return this.vatValue;
  }

  /** `[normalize-space(cbc:ID) = code][VAT scheme]` (the category selection of the family rules). */
  is(code: string): boolean {
    return this.id() === code && this.vat();
  }

  /**
   * `xs:decimal(cbc:Percent)` as a comparable key (xpath-nodes.ts `decimalKey`): equal keys, equal
   * rates; `undefined` when absent; throws XPTY0004 (two rates) / FORG0001 (not a decimal).
   */
  pctKey(): string | undefined {
    if (!this.pctKeyRead) {
      this.pctKeyRead = true;
      try {
        const n = single(this.el, 'cbc:Percent');
        this.pctKeyValue = n ? decimalKey(decimalText(n)) : undefined;
      } catch (e) {
        this.pctKeyError = e;
      }
    }
    if (this.pctKeyError !== undefined) throw this.pctKeyError;
    return this.pctKeyValue;
  }

  /** The string values (untrimmed) of its `cbc:ID` children, in document order. */
  get rawIds(): readonly string[] {
    return (this.raw ??= this.idCount === 0 ? [] : this.idCount === 1 ? [sv(this.firstId)] : kids(this.el, 'cbc:ID').map(sv));
  }

  /** The same values after normalize-space. */
  get nsIds(): readonly string[] {
    return (this.normalized ??= this.rawIds.map(normalizeSpace));
  }

  /** `cbc:ID[normalize-space(.) = code]` exists. */
  someIdNs(code: string): boolean {
    return this.nsIds.includes(code);
  }

  /** `[cbc:ID = code]`: some `cbc:ID` whose untrimmed value is `code`. */
  someIdRaw(code: string): boolean {
    return this.rawIds.includes(code);
  }

  /** `exists(cbc:ID)`. */
  hasId(): boolean {
    return this.idCount > 0;
  }
}

/** The facts of a tax category element, built on first use in the document. */
export const taxCategory = perDocElement((_c, el) => new TaxCategory(el));

/** `//cac:ClassifiedTaxCategory`, in document order. */
export const classifiedCategories = perDoc((c) => cacAll(c, 'ClassifiedTaxCategory').map((el) => taxCategory(c, el)));
/** `//cac:TaxCategory`, in document order. */
export const taxCategories = perDoc((c) => cacAll(c, 'TaxCategory').map((el) => taxCategory(c, el)));
/** `cac:TaxCategory` of every `cac:AllowanceCharge` of the document, whatever its ChargeIndicator. */
export const allowanceChargeCategories = perDoc((c) => cacAll(c, 'AllowanceCharge').flatMap((a) => kids(a, 'cac:TaxCategory')).map((el) => taxCategory(c, el)));
/**
 * `//cac:AllowanceCharge[cbc:ChargeIndicator = <charge>]/cac:TaxCategory`; throws (every time) when
 * an allowance/charge has a ChargeIndicator that is no xs:boolean before deciding.
 */
export const allowanceChargeCategoriesOf = (c: ValidationContext, charge: boolean): readonly TaxCategory[] => (charge ? acTrue(c) : acFalse(c));
const acOf = (charge: boolean) => (c: ValidationContext) =>
  cacAll(c, 'AllowanceCharge')
    .filter((a) => chargeIndicatorIs(a, charge))
    .flatMap((a) => kids(a, 'cac:TaxCategory'))
    .map((el) => taxCategory(c, el));
const acTrue = perDoc(acOf(true));
const acFalse = perDoc(acOf(false));
/** The same for the document level allowances/charges (children of the root) only. */
export const rootAllowanceChargeCategoriesOf = (c: ValidationContext, charge: boolean): readonly TaxCategory[] => (charge ? rootTrue(c) : rootFalse(c));
const rootOf = (charge: boolean) => (c: ValidationContext) =>
  kids(c.root, 'cac:AllowanceCharge')
    .filter((a) => chargeIndicatorIs(a, charge))
    .flatMap((a) => kids(a, 'cac:TaxCategory'))
    .map((el) => taxCategory(c, el));
const rootTrue = perDoc(rootOf(true));
const rootFalse = perDoc(rootOf(false));
/** `cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory` of the root (the VAT breakdown categories, BG-23). */
export const breakdownCategories = perDoc((c) => nodesAt(c.root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory').map((el) => taxCategory(c, el)));

/** The untrimmed `cbc:ID` values of every `cac:TaxCategory` and `cac:ClassifiedTaxCategory` (BR-B-01/02). */
export const categoryRawIds = perDoc((c) => {
  const s = new Set<string>();
  for (const k of taxCategories(c)) for (const v of k.rawIds) s.add(v);
  for (const k of classifiedCategories(c)) for (const v of k.rawIds) s.add(v);
  return s;
});

/**
 * `nodes[normalize-space(cbc:ID) = X][VAT scheme]` in a match pattern, for every code X at once:
 * the categories of `cats` grouped by their code, in document order (a category whose predicate
 * raises a dynamic error matches no code; any other error propagates).
 */
function byCode(cats: readonly TaxCategory[], pre?: (k: TaxCategory) => boolean): Map<string, Element[]> {
  const out = new Map<string, Element[]>();
  for (const k of cats) {
    try {
      if (pre && !pre(k)) continue;
      const id = k.id();
      if (!k.vat()) continue;
      let list = out.get(id);
      if (!list) out.set(id, (list = []));
      list.push(k.el);
    } catch (e) {
      if (!(e instanceof XPathDynamicError)) throw e;
    }
  }
  return out;
}

/** `cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory | cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory` (match patterns), by code (BR-x-05). */
export const lineCategoriesByCode = perDoc((c) =>
  byCode([...matchPattern(c, 'cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory'), ...matchPattern(c, 'cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory')].map((el) => taxCategory(c, el))),
);
const acPattern = (c: ValidationContext) => matchPattern(c, 'cac:AllowanceCharge/cac:TaxCategory').map((el) => taxCategory(c, el));
/** `cac:AllowanceCharge[cbc:ChargeIndicator = false()]/cac:TaxCategory` (any level), by code (BR-x-06). */
export const allowanceCategoriesByCode = perDoc((c) => byCode(acPattern(c), (k) => chargeIndicatorIs(parentOf(k.el)!, false)));
/** `cac:AllowanceCharge[cbc:ChargeIndicator = true()]/cac:TaxCategory`, by code, without those matched as allowances (BR-x-07). */
export const chargeCategoriesByCode = perDoc((c) => {
  const out = byCode(acPattern(c), (k) => chargeIndicatorIs(parentOf(k.el)!, true));
  for (const [code, list] of out) {
    const allowances = new Set(allowanceCategoriesByCode(c).get(code) ?? []);
    if (allowances.size) out.set(code, list.filter((t) => !allowances.has(t)));
  }
  return out;
});
/** The VAT breakdown categories of the root, by code (BR-x-08..10). */
export const breakdownCategoriesByCode = perDoc((c) => byCode(breakdownCategories(c)));
