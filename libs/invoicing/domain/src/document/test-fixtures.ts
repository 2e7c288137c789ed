/**
 * Test fixtures: invoice documents covering the VAT situations of Romanian sellers. Test-only.
 */
import type { InvoiceDocument } from '@cetate/invoicing-contracts';
import { DEMO_INVOICE_DOCUMENT } from './demo-invoice.js';

const base = DEMO_INVOICE_DOCUMENT;

/** Domestic RON invoice, S 19 % and 9 % mixed, line discount (the demo document). */
export const RON_MIXED: InvoiceDocument = base;

/** 3 × 33.335 = 100.005 → 100.01 (half-up), and more half-cent cases, with document allowance and charge. */
export const TRICKY_ROUNDING: InvoiceDocument = {
  ...base,
  number: 'CTD-2025-000143',
  notes: undefined,
  lines: [
    { id: '1', quantity: '3', unitCode: 'H87', itemName: 'Cablu', priceAmount: '33.335', vatCategory: 'S', vatRate: '19' },
    { id: '2', quantity: '1', unitCode: 'H87', itemName: 'Adaptor', priceAmount: '0.005', vatCategory: 'S', vatRate: '19' },
    { id: '3', quantity: '7', unitCode: 'KGM', itemName: 'Cafea', priceAmount: '14.285', vatCategory: 'S', vatRate: '9.00' },
    { id: '4', quantity: '0.333', unitCode: 'HUR', itemName: 'Consultanta', priceAmount: '150', vatCategory: 'S', vatRate: '19.00' },
    { id: '5', quantity: '-1', unitCode: 'H87', itemName: 'Retur ambalaj', priceAmount: '0.004', vatCategory: 'S', vatRate: '19' },
  ],
  allowances: [{ amount: '0.05', vatCategory: 'S', vatRate: '19', reason: 'Rotunjire comerciala', reasonCode: '95' }],
  charges: [{ amount: '10.00', vatCategory: 'S', vatRate: '9', reason: 'Transport', reasonCode: 'FC' }],
};

/** EUR invoice to a Romanian buyer: BT-6 = RON, BT-111 from the BNR rate. */
export const EUR_WITH_RON_VAT: InvoiceDocument = {
  ...base,
  number: 'CTD-EUR-2025-0007',
  currencyCode: 'EUR',
  taxCurrencyCode: 'RON',
  exchangeRate: '4.9771',
  paymentMeans: { code: '30', account: 'RO66BACX0000001234567890' },
  lines: [
    { id: '1', quantity: '2', unitCode: 'DAY', itemName: 'Implementare la client', priceAmount: '640.00', vatCategory: 'S', vatRate: '19' },
    { id: '2', quantity: '1', unitCode: 'C62', itemName: 'Licenta anuala', priceAmount: '1199.99', vatCategory: 'S', vatRate: '19' },
  ],
};

/** Credit note 381 crediting part of an earlier invoice (BG-3). */
export const CREDIT_NOTE: InvoiceDocument = {
  ...base,
  documentType: 'CreditNote',
  typeCode: '381',
  number: 'CTD-NC-2025-0003',
  issueDate: '2025-03-20',
  dueDate: '2025-03-30',
  precedingInvoice: { number: 'CTD-2025-000142', issueDate: '2025-03-14' },
  notes: ['Stornare partiala factura CTD-2025-000142'],
  lines: [
    { id: '1', quantity: '2', unitCode: 'MON', itemName: 'Abonament Cetate ERP - modul facturare', priceAmount: '349.90', vatCategory: 'S', vatRate: '19' },
  ],
};

/** Reverse charge (taxare inversă, art. 331 Cod fiscal): category AE, rate 0. */
export const REVERSE_CHARGE: InvoiceDocument = {
  ...base,
  number: 'CTD-TI-2025-0011',
  lines: [
    { id: '1', quantity: '12.5', unitCode: 'TNE', itemName: 'Deseuri feroase', priceAmount: '1180.40', vatCategory: 'AE', vatRate: '0' },
  ],
};

/** Exempt without deduction right (art. 292 Cod fiscal): category E with an explicit reason. */
export const EXEMPT: InvoiceDocument = {
  ...base,
  number: 'CTD-SC-2025-0004',
  vatExemptions: [{ vatCategory: 'E', reason: 'Scutit conform art. 292 alin. (2) lit. a) Cod fiscal', reasonCode: 'VATEX-EU-132-1I' }],
  lines: [
    { id: '1', quantity: '1', unitCode: 'C62', itemName: 'Curs formare profesionala', priceAmount: '2500', vatCategory: 'E', vatRate: '0' },
    { id: '2', quantity: '4', unitCode: 'H87', itemName: 'Materiale curs', priceAmount: '45.5', vatCategory: 'S', vatRate: '19' },
  ],
};

const GERMAN_BUYER = {
  name: 'Muster Handels GmbH',
  vatIdentifier: 'DE123456789',
  address: { street: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', countrySubdivision: 'BE', countryCode: 'DE' },
};

/** Intra-community supply (K) to Germany in EUR: buyer VAT id, delivery date and deliver-to country (BR-IC-02/11/12). */
export const INTRA_COMMUNITY: InvoiceDocument = {
  ...base,
  number: 'CTD-IC-2025-0002',
  currencyCode: 'EUR',
  taxCurrencyCode: 'RON',
  exchangeRate: '4.9771',
  buyer: GERMAN_BUYER,
  delivery: { actualDeliveryDate: '2025-03-10', address: GERMAN_BUYER.address },
  lines: [{ id: '1', quantity: '10', unitCode: 'H87', itemName: 'Router industrial', priceAmount: '99.99', vatCategory: 'K', vatRate: '0' }],
};

/** Export outside the EU (G) to a Swiss buyer identified by its registration number. */
export const EXPORT: InvoiceDocument = {
  ...base,
  number: 'CTD-EX-2025-0001',
  buyer: {
    name: 'Alpen Import AG',
    legalRegistrationId: 'CHE-123.456.789',
    address: { street: 'Bahnhofstrasse 10', city: 'Zurich', postalCode: '8001', countryCode: 'CH' },
  },
  lines: [{ id: '1', quantity: '1', unitCode: 'H87', itemName: 'Echipament export', priceAmount: '1000', vatCategory: 'G', vatRate: '0' }],
};

/** Outside the scope of VAT (O): non-VAT seller identified by BT-32, no VAT ids, no rates (BR-O-02..05). */
export const OUT_OF_SCOPE: InvoiceDocument = {
  ...base,
  number: 'CTD-O-2025-0001',
  seller: { ...base.seller, vatIdentifier: undefined, taxRegistrationId: '41832096' },
  buyer: { ...base.buyer, vatIdentifier: undefined, legalRegistrationId: '35246718' },
  lines: [{ id: '1', quantity: '1', unitCode: 'C62', itemName: 'Despagubire contractuala', priceAmount: '500', vatCategory: 'O' }],
};

/** Zero rated (Z) with a document allowance, prepaid amount, invoicing period and payment terms. */
export const ZERO_RATED_PREPAID: InvoiceDocument = {
  ...base,
  number: 'CTD-Z-2025-0001',
  prepaidAmount: '100.00',
  invoicePeriod: { startDate: '2025-03-01', endDate: '2025-03-31' },
  paymentTerms: 'Plata in 30 de zile de la emitere',
  allowances: [{ amount: '1.00', vatCategory: 'Z', vatRate: '0', reason: 'Discount' }],
  lines: [{ id: '1', quantity: '4', unitCode: 'H87', itemName: 'Carte', priceAmount: '80.25', vatCategory: 'Z', vatRate: '0' }],
};

/** All fixtures by name. */
export const FIXTURES: Record<string, InvoiceDocument> = {
  RON_MIXED,
  TRICKY_ROUNDING,
  EUR_WITH_RON_VAT,
  CREDIT_NOTE,
  REVERSE_CHARGE,
  EXEMPT,
  INTRA_COMMUNITY,
  EXPORT,
  OUT_OF_SCOPE,
  ZERO_RATED_PREPAID,
};
