import type { DocumentView, PurchaseInvoiceView } from '@cetate/documents-contracts';
import type { DocumentEntity, PurchaseInvoiceRecord } from '@cetate/documents-data-access';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** `numeric` as stored (`"21.00"`) → the rate as people write it (`"21"`, `"5.5"`). */
const rate = (r: string) => r.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

/**
 * The API view of a document. `fields: false` leaves the fields out (lists); `duplicateOf` is the stored flag, else
 * the candidate given (a purchase invoice the fields would collide with); `sameFileAs` an earlier upload of the same bytes.
 */
export function documentView(d: DocumentEntity, o: { fields: boolean; duplicateCandidate?: string | null; sameFileAs?: string | null }): DocumentView {
  return {
    id: d.id,
    filename: d.filename,
    mime: d.mime,
    size: d.size,
    sha256: d.sha256,
    objectKey: d.objectKey,
    status: d.status,
    error: d.status === 'failed' && d.errorCode ? { code: d.errorCode, message: d.errorMessage ?? '' } : null,
    pages: d.pages,
    pagesDone: d.pagesDone,
    progress: d.progress,
    source: d.source,
    ...(o.fields ? { fields: d.fields } : {}),
    purchaseInvoiceId: d.purchaseInvoiceId,
    duplicateOf: d.duplicateOf ?? o.duplicateCandidate ?? null,
    sameFileAs: o.sameFileAs ?? null,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    extractedAt: iso(d.extractedAt),
    confirmedAt: iso(d.confirmedAt),
  };
}

/** The API view of a purchase invoice with its VAT breakdown and lines. */
export function purchaseInvoiceView(r: PurchaseInvoiceRecord): PurchaseInvoiceView {
  const p = r.invoice;
  return {
    id: p.id,
    status: p.status,
    source: p.source,
    sourceDocumentId: p.sourceDocumentId,
    duplicateOf: p.duplicateOf,
    supplier: { name: p.supplierName, cif: p.supplierCif, vatId: p.supplierVatId, tradeRegister: p.supplierTradeRegister },
    buyer: { name: p.buyerName, cif: p.buyerCif },
    series: p.series,
    number: p.number,
    issueDate: p.issueDate,
    dueDate: p.dueDate,
    currency: p.currency,
    totals: { net: p.netTotal, vat: p.vatTotal, payable: p.payableTotal },
    vat: r.vat.map((v) => ({ rate: rate(v.rate), base: v.base, amount: v.amount })),
    iban: p.iban,
    lines: r.lines.map((l) => ({
      lineId: l.lineId,
      name: l.name,
      quantity: l.quantity,
      unitCode: l.unitCode,
      unitPrice: l.unitPrice,
      netAmount: l.netAmount,
      vatRate: l.vatRate === null ? null : rate(l.vatRate),
    })),
    documentType: p.documentType,
    efactura: p.idSolicitare
      ? {
          idSolicitare: p.idSolicitare,
          idDescarcare: p.idDescarcare,
          zipObjectKey: p.zipObjectKey,
          signatureVerified: p.signatureVerified,
          receivedAt: p.receivedAt ? p.receivedAt.toISOString() : null,
          typeCode: p.typeCode,
          taxCurrency: p.taxCurrency,
          vatTotalTaxCurrency: p.vatTotalTaxCurrency,
          lineNetTotal: p.lineNetTotal,
          allowanceTotal: p.allowanceTotal,
          chargeTotal: p.chargeTotal,
          prepaidTotal: p.prepaidTotal,
          roundingAmount: p.roundingAmount,
          precedingInvoice: p.precedingInvoice,
          supplierCheck: p.supplierCheckedAt
            ? { found: p.supplierFound, vatRegistered: p.supplierVatRegistered, inactive: p.supplierInactive, checkedAt: p.supplierCheckedAt.toISOString() }
            : null,
        }
      : null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
