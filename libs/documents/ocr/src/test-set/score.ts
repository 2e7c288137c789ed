/**
 * Field-level scoring of an extraction against the ground truth of the test set: one point per
 * acceptance field of issue 9 (`supplier.name`, `supplier.cif`, `buyer.cif`, `series`, `number`,
 * `issueDate`, `dueDate`, `currency`, `netTotal`, `vatTotal`, `payableTotal`, `vat`, `iban`); a field
 * scores when the extracted value equals the truth after the normalisation below, and a missing field
 * is wrong. `vat` is one field: the whole breakdown (rate, base, amount per rate, any order).
 *
 * Normalisation: names NFC, cedilla ş/ţ read as comma-below ș/ț, white space collapsed, compared
 * case-insensitively; CIF and IBAN compact upper case; amounts as numbers with 2 decimals; every
 * other field exact.
 */
import type { ExtractedInvoice } from '@cetate/documents-extraction';
import type { InvoiceTruth } from './invoice-data.js';

/** The scored fields, in print order. */
export const SCORED_FIELDS = [
  'supplier.name',
  'supplier.cif',
  'buyer.cif',
  'series',
  'number',
  'issueDate',
  'dueDate',
  'currency',
  'netTotal',
  'vatTotal',
  'payableTotal',
  'vat',
  'iban',
] as const;

/** One of {@link SCORED_FIELDS}. */
export type ScoredField = (typeof SCORED_FIELDS)[number];

/** The verdict on one field. */
export interface FieldScore {
  field: ScoredField;
  ok: boolean;
  expected: string;
  /** What was extracted (`-` when absent). */
  actual: string;
}

const name = (s: string) =>
  s
    .normalize('NFC')
    .replace(/ş/g, 'ș')
    .replace(/Ş/g, 'Ș')
    .replace(/ţ/g, 'ț')
    .replace(/Ţ/g, 'Ț')
    .replace(/\s+/g, ' ')
    .trim()
    .toLocaleUpperCase('ro');
const compact = (s: string) => s.replace(/[\s.]/g, '').toUpperCase();
const amount = (s: string) => (Number.isFinite(Number(s)) ? Number(s).toFixed(2) : s);
const vatKey = (v: { rate: string; base: string; amount: string }) => `${Number(v.rate)}%:${amount(v.base)}:${amount(v.amount)}`;

/** Scores every field of {@link SCORED_FIELDS}; see the module comment for the comparison rules. */
export function scoreExtraction(got: ExtractedInvoice, truth: InvoiceTruth): FieldScore[] {
  const pairs: [ScoredField, string, string | undefined, (s: string) => string][] = [
    ['supplier.name', truth.supplier.name, got.supplier.name?.value, name],
    ['supplier.cif', truth.supplier.cif, got.supplier.cif?.value, compact],
    ['buyer.cif', truth.buyer.cif, got.buyer.cif?.value, compact],
    ['series', truth.series, got.series?.value, (s) => s.toUpperCase()],
    ['number', truth.number, got.number?.value, (s) => s],
    ['issueDate', truth.issueDate, got.issueDate?.value, (s) => s],
    ['dueDate', truth.dueDate, got.dueDate?.value, (s) => s],
    ['currency', truth.currency, got.currency?.value, (s) => s],
    ['netTotal', truth.netTotal, got.netTotal?.value, amount],
    ['vatTotal', truth.vatTotal, got.vatTotal?.value, amount],
    ['payableTotal', truth.payableTotal, got.payableTotal?.value, amount],
    ['vat', truth.vat.map(vatKey).sort().join(' '), got.vat.length ? got.vat.map(vatKey).sort().join(' ') : undefined, (s) => s],
    ['iban', truth.iban, got.iban?.value, compact],
  ];
  return pairs.map(([field, expected, actual, norm]) => ({
    field,
    ok: actual !== undefined && norm(actual) === norm(expected),
    expected,
    actual: actual ?? '-',
  }));
}
