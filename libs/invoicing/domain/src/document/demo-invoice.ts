/**
 * A realistic sample invoice document for demos, seeds and tests.
 */
import type { InvoiceDocument } from '@cetate/invoicing-contracts';

/**
 * Domestic RON invoice (type 380) from a Bucharest software company to a Cluj distributor, with
 * standard 19 % and reduced 9 % lines (the rates in force before 1 August 2025, hence the 2025-03
 * issue date), a line discount and a bank transfer to an IBAN. Both CUIs carry a valid check digit
 * (RO41832096, RO35246718) but belong to no real company.
 *
 * Totals (see `computeTotals`): BT-109 = 5502.25, BT-110 = 994.09, BT-115 = 6496.34 RON.
 * Accepted by `InvoiceDocumentSchema`; `buildCiusRoUbl` of it passes the CIUS-RO rules.
 */
export const DEMO_INVOICE_DOCUMENT: InvoiceDocument = {
  documentType: 'Invoice',
  number: 'CTD-2025-000142',
  issueDate: '2025-03-14',
  typeCode: '380',
  currencyCode: 'RON',
  dueDate: '2025-04-13',
  notes: ['Factura emisa conform contractului nr. 17/2024.'],
  buyerReference: 'PO-TRD-8841',
  orderReference: 'CMD-2025-0311',
  seller: {
    name: 'Cetate Demo Software SRL',
    tradingName: 'Cetate Demo',
    legalRegistrationId: 'J40/12345/2019',
    vatIdentifier: 'RO41832096',
    address: {
      street: 'Strada Academiei nr. 7, et. 2',
      city: 'SECTOR1',
      postalCode: '010011',
      countrySubdivision: 'RO-B',
      countryCode: 'RO',
    },
    contact: { name: 'Ioana Popescu', telephone: '+40 21 555 0101', email: 'facturare@cetate-demo.ro' },
  },
  buyer: {
    name: 'Transilvania Distributie SRL',
    legalRegistrationId: 'J12/3456/2015',
    vatIdentifier: 'RO35246718',
    address: {
      street: 'Calea Dorobantilor nr. 98',
      city: 'Cluj-Napoca',
      postalCode: '400609',
      countrySubdivision: 'RO-CJ',
      countryCode: 'RO',
    },
  },
  paymentMeans: { code: '30', account: 'RO49AAAA1B31007593840000', accountName: 'Cetate Demo Software SRL' },
  lines: [
    {
      id: '1',
      quantity: '12',
      unitCode: 'MON',
      itemName: 'Abonament Cetate ERP - modul facturare',
      sellersItemId: 'CET-ERP-INV',
      priceAmount: '349.90',
      vatCategory: 'S',
      vatRate: '19',
      allowances: [{ amount: '209.94', reason: 'Discount fidelitate 5%', reasonCode: '95' }],
    },
    {
      id: '2',
      quantity: '3',
      unitCode: 'HUR',
      itemName: 'Instruire utilizatori',
      priceAmount: '333.35',
      vatCategory: 'S',
      vatRate: '19',
    },
    {
      id: '3',
      quantity: '5',
      unitCode: 'H87',
      itemName: 'Manual tiparit "Ghid e-Factura" & anexe',
      priceAmount: '102.667',
      vatCategory: 'S',
      vatRate: '9',
    },
  ],
};
