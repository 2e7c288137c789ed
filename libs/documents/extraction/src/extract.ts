/**
 * Invoice field extraction: from the OCR words of the pages to {@link ExtractedInvoice}.
 *
 * Pure and synchronous: no I/O, no clock, no OCR engine. The worker feeds it the words of
 * Tesseract (confidence / 100) or of a PDF text layer (confidence 1).
 */
import type { ExtractedInvoice, Field, OcrPage } from './types.js';
import { viewDocument, hitsOf, type DocumentView, type Reading } from './document.js';
import { readParties, inRegion, type PartyRegion } from './parties.js';
import { readCurrency, readDates, readSeriesAndNumber } from './header-fields.js';
import { readTotals } from './totals.js';
import { findIbans } from './iban.js';
import { spanInfo } from './layout.js';
import { CHECK, PLACE, combine } from './confidence.js';

/** A reading as an output field (drops the internal ranking data). */
function field(r: Reading | undefined): Field | undefined {
  return r ? { value: r.value, confidence: r.confidence, page: r.page, bbox: r.bbox } : undefined;
}

/**
 * The supplier's IBAN: an IBAN that passes ISO 13616 MOD 97-10 (OCR look-alikes repaired only when the
 * check then passes), preferring one in the supplier block, then one outside the buyer block, then
 * the first; an "IBAN"/"Cont" label before it on its line raises the confidence.
 */
function readIban(doc: DocumentView, regions: { supplier?: PartyRegion; buyer?: PartyRegion }): Field | undefined {
  const labelled = new Set(hitsOf(doc, 'iban').map((h) => h.line));
  let inSupplier: Field | undefined;
  let outsideBuyer: Field | undefined;
  let any: Field | undefined;
  for (const line of doc.lines) {
    for (const t of findIbans(line.text)) {
      const info = spanInfo(line, t.start, t.end);
      const f: Field = {
        value: t.value,
        confidence: combine(info.ocr, labelled.has(line) ? PLACE.sameLine : 0.9, t.changes > 0 ? CHECK.repaired : 1),
        page: info.page,
        bbox: info.bbox,
      };
      if (!inSupplier && inRegion(regions.supplier, info.page, info.box)) inSupplier = f;
      if (!outsideBuyer && !inRegion(regions.buyer, info.page, info.box)) outsideBuyer = f;
      any ??= f;
    }
  }
  return inSupplier ?? outsideBuyer ?? any;
}

/** Removes absent members so a JSON print shows only what was found. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * Extracts the fields of one invoice from the words of its pages.
 *
 * Header fields (parties, series, number, dates) are taken from the first place they appear; totals
 * from the last (the summary is at the bottom of the last page). Every field carries a confidence
 * 0..1 and the page and box it was read from; `warnings` lists disagreements and computed values.
 * @param pages the pages in any order (sorted by `page`); words in any order.
 */
export function extractInvoice(pages: readonly OcrPage[]): ExtractedInvoice {
  const doc = viewDocument(pages);
  const warnings: string[] = [];
  const { supplier, buyer, regions } = readParties(doc, warnings);
  const sn = readSeriesAndNumber(doc);
  const dates = readDates(doc, sn.issueDate);
  warnings.push(...dates.warnings);
  const currency = readCurrency(doc);
  const totals = readTotals(doc, currency?.value, dates.issueDate?.value);
  warnings.push(...totals.warnings);
  return compact({
    supplier: compact(supplier),
    buyer: compact(buyer),
    series: field(sn.series),
    number: field(sn.number),
    issueDate: field(dates.issueDate),
    dueDate: field(dates.dueDate),
    currency: field(currency),
    netTotal: field(totals.netTotal),
    vatTotal: field(totals.vatTotal),
    payableTotal: field(totals.payableTotal),
    vat: totals.vat,
    iban: readIban(doc, regions),
    warnings,
  });
}
