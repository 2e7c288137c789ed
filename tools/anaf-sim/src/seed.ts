/**
 * Generated supplier invoices for seeding a big inbox (`seedInbox`): valid CIUS-RO UBL Invoice
 * documents (`InvoiceDocument` of @cetate/invoicing-contracts, built by `buildCiusRoUbl` of
 * @cetate/invoicing-domain) from generated Romanian suppliers with valid CUIs.
 */
import type { InvoiceDocument, InvoiceLine, Party } from '@cetate/invoicing-contracts';
import { computeTotals } from '@cetate/invoicing-domain';
import { makeCui } from './taxpayers.js';

/** A generated supplier company (BG-4). */
export interface SeedSeller {
  /** CUI with a valid check digit, without `RO`. */
  cif: string;
  name: string;
  county: { code: string; city: string; postalCode: string };
}

const COUNTIES = [
  { code: 'RO-CJ', city: 'Cluj-Napoca', postalCode: '400001' },
  { code: 'RO-BV', city: 'Brasov', postalCode: '500001' },
  { code: 'RO-IS', city: 'Iasi', postalCode: '700001' },
  { code: 'RO-TM', city: 'Timisoara', postalCode: '300001' },
  { code: 'RO-CT', city: 'Constanta', postalCode: '900001' },
  { code: 'RO-B', city: 'SECTOR3', postalCode: '030001' },
  { code: 'RO-PH', city: 'Ploiesti', postalCode: '100001' },
  { code: 'RO-DJ', city: 'Craiova', postalCode: '200001' },
];

const ITEMS = [
  { name: 'Hartie copiator A4 (top 500 coli)', unit: 'H87', price: '27.90', rate: '21' },
  { name: 'Servicii mentenanta lunara', unit: 'MON', price: '850.00', rate: '21' },
  { name: 'Carte tehnica de specialitate', unit: 'H87', price: '64.50', rate: '11' },
  { name: 'Cafea boabe 1 kg', unit: 'KGM', price: '79.99', rate: '11' },
  { name: 'Transport marfa', unit: 'KMT', price: '3.15', rate: '21' },
  { name: 'Consultanta fiscala', unit: 'HUR', price: '210.00', rate: '21' },
  { name: 'Apa minerala bax 6 x 2 l', unit: 'H87', price: '14.45', rate: '11' },
  { name: 'Licenta software anuala', unit: 'C62', price: '1199.00', rate: '21' },
];

/**
 * `count` suppliers with CUIs 8 digits long, distinct for distinct `index` (body 2,000,000 + 7,919 ×
 * index, then the check digit), in the counties of {@link COUNTIES}.
 */
export function seedSellers(count: number, offset = 0): SeedSeller[] {
  return Array.from({ length: count }, (_, k) => {
    const index = offset + k;
    return {
      cif: makeCui(2_000_000 + 7_919 * index),
      name: `Furnizor Simulat ${String(index + 1).padStart(4, '0')} SRL`,
      county: COUNTIES[index % COUNTIES.length]!,
    };
  });
}

/** Small deterministic PRNG (mulberry32) so a seed run is reproducible from `startNumber`. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sellerParty(s: SeedSeller): Party {
  return {
    name: s.name,
    legalRegistrationId: `J${s.county.postalCode.slice(0, 2)}/${Number(s.cif) % 9000}/2018`,
    vatIdentifier: `RO${s.cif}`,
    address: { street: 'Strada Industriei nr. 1', city: s.county.city, postalCode: s.county.postalCode, countrySubdivision: s.county.code, countryCode: 'RO' },
  };
}

/**
 * One supplier invoice (type 380, RON, 1–3 lines at 21 % and 11 %; BT-48 = `RO<buyerCif>`, buyer in
 * Bucharest SECTOR1) numbered `SIM-<number>`; `issueDate` is the given Bucharest day, due 30 days
 * later. Deterministic for a given `number`.
 */
export function seedInvoiceDocument(seller: SeedSeller, buyer: { cif: string; name: string }, number: number, issueDate: string): InvoiceDocument {
  const rnd = prng(number * 2_654_435_761);
  const lineCount = 1 + Math.floor(rnd() * 3);
  const lines: InvoiceLine[] = [];
  for (let i = 0; i < lineCount; i++) {
    const item = ITEMS[Math.floor(rnd() * ITEMS.length)]!;
    lines.push({
      id: String(i + 1),
      quantity: String(1 + Math.floor(rnd() * 40)),
      unitCode: item.unit,
      itemName: item.name,
      priceAmount: item.price,
      vatCategory: 'S',
      vatRate: item.rate,
    });
  }
  const due = new Date(`${issueDate}T00:00:00Z`);
  due.setUTCDate(due.getUTCDate() + 30);
  return {
    documentType: 'Invoice',
    number: `SIM-${number}`,
    issueDate,
    typeCode: '380',
    currencyCode: 'RON',
    dueDate: due.toISOString().slice(0, 10),
    seller: sellerParty(seller),
    buyer: {
      name: buyer.name,
      vatIdentifier: `RO${buyer.cif}`,
      address: { street: 'Strada Academiei nr. 7', city: 'SECTOR1', postalCode: '010011', countrySubdivision: 'RO-B', countryCode: 'RO' },
    },
    paymentMeans: { code: '30', account: `RO${String(10 + (number % 89)).padStart(2, '0')}BTRL${seller.cif.padStart(16, '0')}` },
    lines,
  };
}

/** BT-115 of a document (`computeTotals`), 2-decimal string. */
export function payableAmountOf(doc: InvoiceDocument): string {
  return computeTotals(doc).payableAmount;
}
