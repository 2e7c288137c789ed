import type { ExtractedFields, FieldCorrections } from '@cetate/documents-contracts';
import type { NewPurchaseInvoice } from '@cetate/documents-data-access';
import { cifDigits, isValidCif, isValidIban } from '@cetate/documents-extraction';
import type { ProblemFieldError } from '@cetate/platform-observability';

type Field = NonNullable<ExtractedFields['number']>;
type Party = ExtractedFields['supplier'];

/** Fields with nothing read (a document that failed, corrected by hand). */
export const EMPTY_FIELDS: ExtractedFields = { supplier: {}, buyer: {}, vat: [], warnings: [] };

/** A corrected value: confidence 1, `corrected`, the position of the reading it replaces (if any). */
function corrected(value: string, was: Field | undefined): Field {
  return { value, confidence: 1, corrected: true, ...(was?.page !== undefined ? { page: was.page } : {}), ...(was?.bbox ? { bbox: was.bbox } : {}) };
}

/** `target[key]` set to the correction: kept when `undefined`, removed when `null`. */
function apply<K extends string>(target: Partial<Record<K, Field>>, key: K, value: string | null | undefined): void {
  if (value === undefined) return;
  if (value === null) delete target[key];
  else target[key] = corrected(value, target[key]);
}

function applyParty(p: Party, c: { name?: string | null; cif?: string | null; tradeRegister?: string | null } | undefined): Party {
  const out: Party = { ...p };
  if (!c) return out;
  apply(out, 'name', c.name);
  apply(out, 'cif', c.cif);
  apply(out, 'tradeRegister', c.tradeRegister);
  return out;
}

/**
 * The fields after the accountant's corrections (`FieldCorrectionsSchema`): a member left out keeps what was read,
 * `null` removes it, a value replaces it with confidence 1 and `corrected: true` (keeping where the replaced value was
 * read); `vat`, when given, replaces the whole breakdown. Pure; `fields` is not modified.
 */
export function applyCorrections(fields: ExtractedFields | null, c: FieldCorrections): ExtractedFields {
  const base = fields ?? EMPTY_FIELDS;
  const out: ExtractedFields = { ...base, supplier: applyParty(base.supplier, c.supplier), buyer: applyParty(base.buyer, c.buyer), vat: [...base.vat], warnings: [...base.warnings] };
  for (const key of ['series', 'number', 'issueDate', 'dueDate', 'currency', 'netTotal', 'vatTotal', 'payableTotal', 'iban'] as const) {
    apply(out as Partial<Record<typeof key, Field>>, key, c[key]);
  }
  if (c.vat) out.vat = c.vat.map((v) => ({ rate: v.rate, base: v.base, amount: v.amount, confidence: 1, corrected: true }));
  return out;
}

/**
 * What is wrong with fields for a purchase invoice: a CUI whose check digit fails (`supplier.cif`, `buyer.cif`), an
 * IBAN failing ISO 13616 mod 97 (`iban`), and, with `forInvoice`, the members an invoice needs: `supplier.cif`,
 * `number` (BT-1), `issueDate` (BT-2). Sources: the CUI check digit (ANAF) and IBAN check as `@cetate/documents-extraction` implements them.
 */
export function fieldProblems(f: ExtractedFields, forInvoice: boolean): ProblemFieldError[] {
  const out: ProblemFieldError[] = [];
  for (const side of ['supplier', 'buyer'] as const) {
    const cif = f[side].cif?.value;
    if (cif !== undefined && !isValidCif(cif)) out.push({ path: `${side}.cif`, message: `${cif} is not a Romanian CUI/CIF: its check digit does not match` });
  }
  if (f.iban && !isValidIban(f.iban.value)) out.push({ path: 'iban', message: `${f.iban.value} is not a valid IBAN (ISO 13616 check digits)` });
  if (forInvoice) {
    if (!f.supplier.cif) out.push({ path: 'supplier.cif', message: "the supplier's CUI is needed (BT-31/BT-32)" });
    if (!f.number) out.push({ path: 'number', message: 'the invoice number is needed (BT-1)' });
    if (!f.issueDate) out.push({ path: 'issueDate', message: 'the issue date is needed (BT-2)' });
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(f.issueDate.value)) out.push({ path: 'issueDate', message: `${f.issueDate.value} is not a date YYYY-MM-DD` });
    if (f.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(f.dueDate.value)) out.push({ path: 'dueDate', message: `${f.dueDate.value} is not a date YYYY-MM-DD` });
  }
  return out;
}

/**
 * BT-1 from the printed series and number: `ABC` + `00123` → `ABC00123` (a number that already starts with the series
 * is kept as printed). The duplicate key ignores separators and case, so `ABC 00123` and `ABC-00123` are the same.
 */
export function invoiceNumber(series: string | undefined, number: string): string {
  if (!series) return number;
  return number.toUpperCase().startsWith(series.toUpperCase()) ? number : `${series}${number}`;
}

/**
 * The draft purchase invoice (`source` `ocr`) made from a document's fields, which {@link fieldProblems} found
 * complete: supplier BT-27/CUI digits (BT-31 kept as printed with `RO`)/BT-30, buyer BT-44/CUI digits, BT-1 from the
 * series and number, BT-2, BT-9, BT-5 (default RON), BT-109/110/115, BG-23 (category `S`), BT-84.
 */
export function purchaseInvoiceFrom(id: string, documentId: string, f: ExtractedFields, createdBy: string | null): NewPurchaseInvoice {
  const supplierCif = f.supplier.cif!.value;
  return {
    id,
    source: 'ocr',
    sourceDocumentId: documentId,
    supplierName: f.supplier.name?.value ?? null,
    supplierCif: cifDigits(supplierCif),
    supplierVatId: /^RO/i.test(supplierCif) ? supplierCif.toUpperCase().replace(/[\s.]/g, '') : null,
    supplierTradeRegister: f.supplier.tradeRegister?.value ?? null,
    buyerName: f.buyer.name?.value ?? null,
    buyerCif: f.buyer.cif ? cifDigits(f.buyer.cif.value) : null,
    series: f.series?.value ?? null,
    number: invoiceNumber(f.series?.value, f.number!.value),
    issueDate: f.issueDate!.value,
    dueDate: f.dueDate?.value ?? null,
    currency: f.currency?.value ?? 'RON',
    netTotal: f.netTotal?.value ?? null,
    vatTotal: f.vatTotal?.value ?? null,
    payableTotal: f.payableTotal?.value ?? null,
    iban: f.iban?.value ?? null,
    vat: f.vat.map((v) => ({ rate: v.rate, base: v.base, amount: v.amount })),
    createdBy,
  };
}
