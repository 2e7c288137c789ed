/**
 * Random Romanian supplier invoices for the OCR test set (issue 9): parties with diacritics in their
 * names, CUI/CIF with a correct control digit, trade register numbers in both formats, a series and a
 * number, issue and due dates, lines, VAT per rate (21%/11% from 2025-08-01, 19%/9%/5% before),
 * totals and an IBAN with correct MOD 97-10 check digits. Everything comes from a seeded {@link Rng}:
 * the same seed gives the same invoice.
 *
 * The check-digit algorithms are written here again on purpose (not imported from the extraction
 * library): the test set must not share a bug with the code it measures.
 */
import { Rng } from './random.js';

/** What the extraction must find: the acceptance fields of issue 9, as the extraction returns them. */
export interface InvoiceTruth {
  supplier: { name: string; cif: string; tradeRegister: string };
  buyer: { name: string; cif: string; tradeRegister?: string };
  /** Upper-case series letters. */
  series: string;
  /** Number as printed, leading zeros kept. */
  number: string;
  /** ISO dates `yyyy-mm-dd`. */
  issueDate: string;
  dueDate: string;
  /** ISO 4217. */
  currency: string;
  /** Decimal strings with 2 decimals, `.` for decimals. */
  netTotal: string;
  vatTotal: string;
  payableTotal: string;
  /** One entry per rate, rates as decimal strings (`"21"`). */
  vat: { rate: string; base: string; amount: string }[];
  /** Compact upper-case IBAN. */
  iban: string;
}

/** One line of the invoice (amounts in bani / cents, quantities in hundredths). */
export interface InvoiceLine {
  description: string;
  unit: string;
  quantityHundredths: number;
  unitPriceCents: number;
  netCents: number;
  vatRate: number;
  vatCents: number;
}

/** How the invoice is printed (chosen at random with the data). */
export interface PrintStyle {
  /** Page layout, see render-pdf.ts. */
  layout: 'classic' | 'modern' | 'compact';
  /** PDF standard font family. */
  font: 'Helvetica' | 'Times-Roman' | 'Courier';
  /** `ro`: 1.234,56; `ro-plain`: 1234,56; `dot`: 1234.56. */
  amounts: 'ro' | 'ro-plain' | 'dot';
  /** Date separator: 12.03.2025, 12/03/2025 or 12-03-2025. */
  dateSeparator: '.' | '/' | '-';
  /** Print ş/ţ (cedilla) instead of ș/ț (comma below), as older fonts and programs do. */
  cedilla: boolean;
  /** Print the IBAN in groups of 4. */
  ibanGroups: boolean;
  /** Print the currency as "lei" (RON only). */
  lei: boolean;
}

/** A generated invoice: the truth, what else is printed, and how. */
export interface TestInvoice {
  id: string;
  truth: InvoiceTruth;
  supplierAddress: string;
  buyerAddress: string;
  bank: string;
  lines: InvoiceLine[];
  style: PrintStyle;
}

const NAME_WORDS = [
  'Ștefănescu', 'Țăranu', 'Brașoveanu', 'Mureșan', 'Pădurea', 'Cetățuia', 'Agroindustrială', 'Construcții', 'Distribuție',
  'Târgu', 'Oțelul', 'Vâlcea', 'Iași', 'Bucureștii', 'Transilvania', 'Dunărea', 'Carpați', 'Măgura', 'Șoimii', 'Lumină',
  'Mărțișor', 'Câmpina', 'Făgăraș', 'Bistrița', 'Nordic', 'Delta', 'Alfa', 'Logistică', 'Tehnică', 'Grădina', 'Fântâna',
  'Pietriș', 'Ciocârlia', 'Șantier', 'Meșteșug', 'Prahova', 'Tulcea', 'Argeș', 'Mehedinți', 'Hârtia', 'Sănătate',
];
const LEGAL_FORMS = ['S.R.L.', 'SRL', 'S.A.', 'SA', 'S.R.L.-D', 'SCS'];
const STREETS = ['Str. Mihai Eminescu', 'Bd. Ștefan cel Mare', 'Calea Moșilor', 'Str. Țebei', 'Șos. Pantelimon', 'Str. Lungă', 'Bd. Unirii', 'Str. Gării'];
const CITIES = ['București, Sector 2', 'Cluj-Napoca, jud. Cluj', 'Iași, jud. Iași', 'Brașov, jud. Brașov', 'Timișoara, jud. Timiș', 'Constanța, jud. Constanța', 'Pitești, jud. Argeș', 'Suceava, jud. Suceava'];
const PRODUCTS: readonly (readonly [string, string])[] = [
  ['Servicii de consultanță', 'ore'], ['Hârtie copiator A4', 'top'], ['Ciment Portland 40 kg', 'sac'], ['Transport marfă', 'km'],
  ['Abonament mentenanță', 'luna'], ['Cablu electric 3x2,5', 'm'], ['Vopsea lavabilă albă', 'buc'], ['Cafea boabe 1 kg', 'kg'],
  ['Închiriere utilaj', 'zi'], ['Licență software', 'buc'], ['Montaj instalație', 'ore'], ['Țiglă ceramică', 'mp'],
  ['Șuruburi inox M6', 'set'], ['Pâine feliată', 'buc'], ['Servicii de curățenie', 'luna'], ['Motorină', 'l'],
];
/** Banks: name, BIC prefix (IBAN bank code) and the shape of the 16-character account part. */
const BANKS: readonly { name: string; code: string; account: (r: Rng) => string }[] = [
  { name: 'Banca Transilvania', code: 'BTRL', account: (r) => 'RONCRT' + r.digits(10) },
  { name: 'BRD - Groupe Société Générale', code: 'BRDE', account: (r) => r.digits(3) + 'SV' + r.digits(11) },
  { name: 'ING Bank', code: 'INGB', account: (r) => '0000' + r.digits(12) },
  { name: 'Banca Comercială Română', code: 'RNCB', account: (r) => r.digits(4) + r.digits(12) },
  { name: 'Raiffeisen Bank', code: 'RZBR', account: (r) => '0000' + r.digits(12) },
  { name: 'CEC Bank', code: 'CECE', account: (r) => 'B' + r.digits(5) + 'RON' + r.digits(7) },
  { name: 'Trezoreria Statului', code: 'TREZ', account: (r) => r.digits(3) + '5069' + r.digits(9) },
];
const SERIES_LETTERS = 'ABCDEFGHJKLMNPRSTVXZ';

/** Control digit of a CUI body (1-9 digits): key 753217532, sum × 10 mod 11, 10 → 0 (ANAF). */
export function cuiControlDigit(body: string): number {
  const key = '753217532';
  const padded = body.padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(padded[i]) * Number(key[i]);
  return ((sum * 10) % 11) % 10;
}

/** IBAN with computed check digits (ISO 7064 MOD 97-10) for a country and a BBAN. */
export function makeIban(country: string, bban: string): string {
  const digits = (bban + country + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of digits) rem = (rem * 10 + Number(ch)) % 97;
  return country + String(98 - rem).padStart(2, '0') + bban;
}

/** Check digit of a 2024-format trade register number: sum of the 12 digits + the letter's ASCII code mod 10. */
function tradeRegisterCheck(first13: string): number {
  let sum = first13.charCodeAt(0) % 10;
  for (let i = 1; i < 13; i++) sum += Number(first13[i]);
  return sum % 10;
}

function tradeRegister(r: Rng): string {
  const county = r.chance(0.4) ? 40 : r.pick([1, 5, 8, 12, 13, 22, 23, 26, 32, 35, 39, 51, 52]);
  if (r.chance(0.6)) return `J${String(county).padStart(2, '0')}/${r.int(1, 25000)}/${r.int(1995, 2023)}`;
  const year = r.int(1995, 2025);
  const first13 = `J${year}${String(r.int(1, 999999)).padStart(6, '0')}${year >= 2025 ? '00' : String(county).padStart(2, '0')}`;
  return first13 + String(tradeRegisterCheck(first13));
}

function cui(r: Rng): string {
  const body = String(r.int(1, 9)) + r.digits(r.int(5, 8));
  return body + String(cuiControlDigit(body));
}

function companyName(r: Rng): string {
  const w1 = r.pick(NAME_WORDS);
  let w2 = r.pick(NAME_WORDS);
  while (w2 === w1) w2 = r.pick(NAME_WORDS);
  const base = `${w1} ${w2} ${r.pick(LEGAL_FORMS)}`;
  return r.chance(0.15) ? base.toUpperCase() : base;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const cents = (n: number) => (n / 100).toFixed(2);

/**
 * One random invoice for `seed` (deterministic).
 * VAT rates follow the issue date: from 2025-08-01 the standard rate is 21% and the reduced 11%
 * (Law 141/2025), before that 19% and 9% or 5%.
 */
export function randomInvoice(seed: string): TestInvoice {
  const r = new Rng(seed);
  const start = Date.UTC(2023, 0, 1);
  const end = Date.UTC(2026, 5, 30);
  const issue = new Date(start + r.int(0, Math.floor((end - start) / 86_400_000)) * 86_400_000);
  const due = new Date(issue.getTime() + r.pick([0, 7, 14, 15, 30, 30, 45, 60]) * 86_400_000);
  const issueDate = isoDate(issue);
  const rates = issueDate >= '2025-08-01' ? [21, 21, 21, 11] : [19, 19, 19, 9, 5];
  const currency = r.chance(0.85) ? 'RON' : 'EUR';
  const lines: InvoiceLine[] = [];
  const lineCount = r.int(1, 6);
  for (let i = 0; i < lineCount; i++) {
    const [description, unit] = r.pick(PRODUCTS);
    const quantityHundredths = r.chance(0.7) ? r.int(1, 50) * 100 : r.int(1, 20000);
    const unitPriceCents = r.chance(0.3) ? r.int(100, 500_000) : r.int(1, 2000) * 100 + r.pick([0, 0, 50, 99]);
    const netCents = Math.round((quantityHundredths * unitPriceCents) / 100);
    const vatRate = r.pick(rates);
    lines.push({ description, unit, quantityHundredths, unitPriceCents, netCents, vatRate, vatCents: 0 });
  }
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.vatRate, (byRate.get(l.vatRate) ?? 0) + l.netCents);
  const vat = [...byRate.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([rate, base]) => ({ rate, base, amount: Math.round((base * rate) / 100) }));
  // line VAT printed on the lines: the per-rate amount spread so the lines add up to it
  for (const v of vat) {
    const ofRate = lines.filter((l) => l.vatRate === v.rate);
    let left = v.amount;
    ofRate.forEach((l, i) => {
      l.vatCents = i === ofRate.length - 1 ? left : Math.round((l.netCents * v.rate) / 100);
      left -= l.vatCents;
    });
  }
  const net = vat.reduce((s, v) => s + v.base, 0);
  const vatSum = vat.reduce((s, v) => s + v.amount, 0);
  const bank = r.pick(BANKS);
  const iban = makeIban('RO', bank.code + bank.account(r));
  const supplierCui = cui(r);
  const buyerCui = cui(r);
  const seriesLength = r.int(2, 4);
  let series = '';
  for (let i = 0; i < seriesLength; i++) series += r.pick([...SERIES_LETTERS]);
  const number = r.chance(0.5) ? String(r.int(1, 99999)).padStart(r.pick([4, 5, 6]), '0') : String(r.int(1, 99999));
  const truth: InvoiceTruth = {
    supplier: { name: companyName(r), cif: (r.chance(0.7) ? 'RO' : '') + supplierCui, tradeRegister: tradeRegister(r) },
    buyer: { name: companyName(r), cif: (r.chance(0.6) ? 'RO' : '') + buyerCui },
    series,
    number,
    issueDate,
    dueDate: isoDate(due),
    currency,
    netTotal: cents(net),
    vatTotal: cents(vatSum),
    payableTotal: cents(net + vatSum),
    vat: vat.map((v) => ({ rate: String(v.rate), base: cents(v.base), amount: cents(v.amount) })),
    iban,
  };
  if (r.chance(0.7)) truth.buyer.tradeRegister = tradeRegister(r);
  const address = () => `${r.pick(STREETS)} nr. ${r.int(1, 200)}, ${r.pick(CITIES)}`;
  return {
    id: seed,
    truth,
    supplierAddress: address(),
    buyerAddress: address(),
    bank: bank.name,
    lines,
    style: {
      layout: r.pick(['classic', 'modern', 'compact'] as const),
      font: r.pick(['Helvetica', 'Helvetica', 'Times-Roman', 'Courier'] as const),
      amounts: r.pick(['ro', 'ro', 'ro-plain', 'dot'] as const),
      dateSeparator: r.pick(['.', '.', '/', '-'] as const),
      cedilla: r.chance(0.2),
      ibanGroups: r.chance(0.5),
      lei: currency === 'RON' && r.chance(0.5),
    },
  };
}

/** Amount in cents as printed in `style` (`123456` → `1.234,56`, `1234,56` or `1234.56`). */
export function formatAmount(centsValue: number, style: PrintStyle['amounts']): string {
  const neg = centsValue < 0;
  const abs = Math.abs(centsValue);
  const int = String(Math.floor(abs / 100));
  const dec = String(abs % 100).padStart(2, '0');
  const grouped = style === 'ro' ? int.replace(/\B(?=(\d{3})+(?!\d))/g, '.') : int;
  return (neg ? '-' : '') + grouped + (style === 'dot' ? '.' : ',') + dec;
}

/** Quantity in hundredths as printed (`250` → `2,5` / `2.5`, `300` → `3`). */
export function formatQuantity(hundredths: number, style: PrintStyle['amounts']): string {
  const text = (hundredths / 100).toFixed(2).replace(/\.?0+$/, '');
  return style === 'dot' ? text : text.replace('.', ',');
}

/** ISO date as printed: `2025-03-12` → `12.03.2025`. */
export function formatDate(iso: string, sep: PrintStyle['dateSeparator']): string {
  const [y, m, d] = iso.split('-');
  return `${d}${sep}${m}${sep}${y}`;
}

/** IBAN as printed: compact or in groups of 4. */
export function formatIban(iban: string, groups: boolean): string {
  return groups ? iban.replace(/(.{4})(?=.)/g, '$1 ') : iban;
}
