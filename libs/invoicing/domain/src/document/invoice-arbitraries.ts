/**
 * fast-check arbitraries of business-valid `InvoiceDocument`s (test and bench support; imports fast-check, a dev
 * dependency, so it is not exported from the package index: import it by path).
 *
 * Every generated document is accepted by `InvoiceDocumentSchema` and meets the EN 16931 / CIUS-RO rules that
 * depend on business facts rather than on the builder: the VAT category rules (BR-S/Z/E/AE/IC/G/O-02..04 identifiers,
 * BR-O-11 O alone, BR-E-10 exemption reason, BR-IC-11/12 delivery date and country), BR-CO-25 (due date or terms),
 * BR-CO-26 (seller BT-30 or BT-31), BR-61 (account for credit transfer), CIUS-RO BR-RO-120 (buyer BT-47 or BT-48),
 * BR-RO-100/110/211 (ISO 3166-2:RO counties, Bucharest sectors, deliver-to subdivision), the Romanian VAT rates of
 * the issue date (21 % / 11 % from 2025-08-01, 19 % / 9 % / 5 % before) and real code-list values (units UN/ECE
 * Rec 20, UNCL4461, UNCL5189/7161, VATEX, ISO 4217, ISO 3166-1).
 *
 * Profiles (`InvoiceProfile`): domestic (S at the rates of the date, Z, E with its exemption reason), b2c (buyer a
 * person: CNP or thirteen zeros, no VAT id), reverse-charge (AE, with S), intra-eu (K, with AE services; EU buyer
 * with VAT id, delivery date or invoicing period, deliver-to address), export (G), out-of-scope (O alone, no VAT
 * ids). Independently: type 380 / 384 corrected (BG-3) / 389 self-billing / 751, or a 381 CreditNote (BG-3 with
 * BT-25/26); RON or a foreign currency with BT-6 = RON and the VAT total in RON (BT-111); line and document level
 * allowances and charges; notes, references, invoicing period, delivery, payment means, prepaid amount.
 */
import fc from 'fast-check';
import {
  RO_BUCHAREST_SECTORS,
  RO_COUNTY_CODES,
  type DocumentAllowanceCharge,
  type InvoiceDocument,
  type InvoiceLine,
  type LineAllowanceCharge,
  type Party,
  type PostalAddress,
} from '@cetate/invoicing-contracts';
import { computeTotals, DEFAULT_VAT_EXEMPTIONS } from './totals.js';

/** The VAT situations the arbitraries cover (see the module comment). */
export type InvoiceProfile = 'domestic' | 'b2c' | 'reverse-charge' | 'intra-eu' | 'export' | 'out-of-scope';

/** Every profile. */
export const INVOICE_PROFILES: readonly InvoiceProfile[] = ['domestic', 'b2c', 'reverse-charge', 'intra-eu', 'export', 'out-of-scope'];

/** Options of {@link invoiceDocumentArbitrary}. */
export interface InvoiceArbitraryOptions {
  /**
   * `'ubl'` (default): only documents in the form the UBL keeps, so `invoiceDocumentFromUbl(build(doc))` deep-equals
   * `doc` (see {@link ublRoundTripForm}): BT-111 given as `taxTotalInTaxCurrency` (2 decimals), never
   * `exchangeRate`; an explicit exemption reason for every category E, AE, K, G, O used; `prepaidAmount` with 2
   * decimals; `paymentMeans.accountName` only with `account`.
   * `'any'`: also the forms the builder writes differently (exchange rate, default exemption reasons, prepaid
   * amount with 0 or 1 decimal, an account name without account).
   */
  form?: 'ubl' | 'any';
  /** Restrict to these profiles (default all). */
  profiles?: readonly InvoiceProfile[];
  /** Most lines per document (default 6). */
  maxLines?: number;
}

/* ------------------------------------------------------------------------------------------------
 * Small values
 * ---------------------------------------------------------------------------------------------- */

/** `n × 10^-d` written with exactly `d` decimals ("-12.340" for n = -12340, d = 3). */
function scaled(n: bigint, d: number): string {
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(d + 1, '0');
  const int = digits.slice(0, digits.length - d);
  const frac = d > 0 ? `.${digits.slice(digits.length - d)}` : '';
  return `${neg ? '-' : ''}${int}${frac}`;
}

/**
 * A decimal string in [min, max] with between `minDecimals` and `maxDecimals` decimals (trailing zeros kept, as an
 * accountant may type them: "5.10"). Never "-0".
 */
export function decimalString(min: number, max: number, maxDecimals: number, minDecimals = 0): fc.Arbitrary<string> {
  return fc.integer({ min: minDecimals, max: maxDecimals }).chain((d) => {
    const lo = BigInt(Math.max(Math.ceil(min * 10 ** d - 1e-9), min > 0 ? 1 : 0));
    const hi = BigInt(Math.floor(max * 10 ** d + 1e-9));
    return fc.bigInt({ min: lo, max: hi }).map((n) => scaled(n, d));
  });
}

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2024, 0, 1);
/** `YYYY-MM-DD` of `days` after 2024-01-01. */
const dayString = (days: number) => new Date(FIRST_DAY + days * DAY_MS).toISOString().slice(0, 10);
/** `date` plus `days` (may be negative), `YYYY-MM-DD`. */
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The day from which Romania's VAT rates are 21 % and 11 % (Law 141/2025); 19 %, 9 % and 5 % before. */
export const RO_VAT_RATES_2025_08_01 = '2025-08-01';

/** The standard and reduced VAT rates (S) in force in Romania on `date`. */
export function roStandardRates(date: string): readonly string[] {
  return date >= RO_VAT_RATES_2025_08_01 ? ['21', '11'] : ['19', '9', '5'];
}

/**
 * Characters of generated texts: letters, Romanian diacritics, the XML specials, an astral character (2 UTF-16 code
 * units, 1 XPath character), spaces, a no-break space, tab, line feed and carriage return (kept by the builder as
 * `&#13;`).
 */
const TEXT_CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'ăâîșțĂÂÎȘȚ€',
  ...'&<>"\'',
  '😀', ' ', ' ', ' ', '\u00A0', '-', '.', ',', '/', '\t', '\n', '\r',
];
const textChar = fc.constantFrom(...TEXT_CHARS);

/**
 * A trimmed, non-empty text of at most `max` UTF-16 code units (what the schema's `text(max)` fields hold): mostly
 * short, sometimes up to the limit (the CIUS-RO BR-RO-Lnnn length rules use the same limits).
 */
export function textArb(max: number): fc.Arbitrary<string> {
  const short = fc.string({ unit: textChar, minLength: 1, maxLength: Math.min(max, 30) });
  const long = fc.string({ unit: textChar, minLength: Math.max(1, max - 10), maxLength: max });
  return fc
    .oneof({ withCrossShrink: true }, { arbitrary: short, weight: 9 }, { arbitrary: long, weight: 1 })
    .map((s) => {
      let t = s.trim();
      while (t.length > max) t = t.slice(0, -1).trim(); // an astral character counts 2
      if (/[\uD800-\uDBFF]$/.test(t)) t = t.slice(0, -1).trim(); // never cut one in half
      return t;
    })
    .filter((s) => s.length > 0);
}

/** `arb` in `present` out of 4 cases, else `undefined` (removed by {@link compact}); shrinks towards `undefined`. */
const maybe = <T>(arb: fc.Arbitrary<T>, present: 1 | 2 | 3 = 2): fc.Arbitrary<T | undefined> =>
  fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(undefined), weight: 4 - present }, { arbitrary: arb, weight: present });

/** Removes `undefined`-valued keys, so that generated documents have absent keys as the parser returns them. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** A record without null prototype (fast-check may otherwise make one, and deep equality then compares prototypes). */
const rec = <T extends object>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> =>
  fc.record(model, { noNullPrototype: true }) as unknown as fc.Arbitrary<T>;

/* ------------------------------------------------------------------------------------------------
 * Parties
 * ---------------------------------------------------------------------------------------------- */

const cui = fc.stringMatching(/^[1-9][0-9]{1,9}$/);
/** A Romanian VAT identifier: RO + CUI. */
const roVatId = cui.map((c) => `RO${c}`);
/** A trade register number (J40/12345/2019) or the CUI digits: BT-30 / BT-47 of a Romanian company. */
const roLegalId = fc.oneof(fc.stringMatching(/^J(0[1-9]|[1-4][0-9]|5[0-2])\/[1-9][0-9]{0,5}\/(199[0-9]|20[0-2][0-9])$/), cui);
/** A CNP (13 digits, first 1-8) or ANAF's thirteen zeros for a person without CNP (B2C buyer BT-47). */
const personId = fc.oneof(fc.stringMatching(/^[1-8][0-9]{12}$/), fc.constant('0000000000000'));

/** EU member states other than Romania with a VAT identifier pattern (the prefix is "EL" for Greece). */
const EU_VAT: ReadonlyArray<readonly [country: string, prefix: string, re: RegExp]> = [
  ['DE', 'DE', /^[0-9]{9}$/],
  ['FR', 'FR', /^[0-9A-Z]{2}[0-9]{9}$/],
  ['IT', 'IT', /^[0-9]{11}$/],
  ['HU', 'HU', /^[0-9]{8}$/],
  ['BG', 'BG', /^[0-9]{9,10}$/],
  ['AT', 'AT', /^U[0-9]{8}$/],
  ['GR', 'EL', /^[0-9]{9}$/],
  ['NL', 'NL', /^[0-9]{9}B[0-9]{2}$/],
];
/** Countries outside the EU (export, G). */
const NON_EU = ['CH', 'US', 'GB', 'MD', 'RS', 'UA', 'TR', 'NO'];

const contact = rec({ name: maybe(textArb(100)), telephone: maybe(fc.stringMatching(/^\+40 ?[0-9]{9}$/)), email: maybe(fc.stringMatching(/^[a-z0-9]{1,8}(\.[a-z0-9]{1,8})?@[a-z0-9]{1,10}\.(ro|com|eu)$/)) })
  .map(compact)
  .filter((c) => Object.keys(c).length > 0);

/** A Romanian postal address: county from ISO 3166-2:RO, SECTOR1..6 in Bucharest (BR-RO-100/110). */
const roAddress: fc.Arbitrary<PostalAddress> = rec({
  street: textArb(150),
  additionalStreet: maybe(textArb(100)),
  city: textArb(50),
  sector: fc.constantFrom(...RO_BUCHAREST_SECTORS),
  postalCode: maybe(fc.stringMatching(/^[0-9]{6}$/)),
  countrySubdivision: fc.constantFrom(...RO_COUNTY_CODES),
}).map(({ sector, ...a }) => compact({ ...a, city: a.countrySubdivision === 'RO-B' ? sector : a.city, countryCode: 'RO' }));

/** A foreign postal address in `country`; the subdivision (free text outside RO) when `withSubdivision`. */
function foreignAddress(country: string, withSubdivision: boolean): fc.Arbitrary<PostalAddress> {
  return rec({
    street: textArb(150),
    additionalStreet: maybe(textArb(100)),
    city: textArb(50),
    postalCode: maybe(fc.stringMatching(/^[0-9A-Z]{4,8}$/)),
    countrySubdivision: withSubdivision ? textArb(50) : maybe(textArb(50)),
  }).map((a) => compact({ ...a, countryCode: country }));
}

/** The common optional party fields. */
const partyExtras = rec({ tradingName: maybe(textArb(200), 1), contact: maybe(contact, 1) });

/** Seller BG-4: a Romanian company with VAT id (and BT-30, sometimes BT-32 too), or for O a non-VAT seller (BT-30 required by BR-CO-26, BT-32 sometimes). */
function sellerArb(vatRegistered: boolean): fc.Arbitrary<Party> {
  return rec({
    name: textArb(200),
    legalRegistrationId: vatRegistered ? maybe(roLegalId, 3) : roLegalId,
    vatIdentifier: vatRegistered ? roVatId : fc.constant(undefined),
    taxRegistrationId: maybe(cui, 1),
    address: roAddress,
    extras: partyExtras,
  }).map(({ extras, ...p }) => compact({ ...p, ...extras }));
}

/** A Romanian company buyer: BT-48 and/or BT-47 (BR-RO-120); `vat` forces the VAT id (reverse charge). */
function roCompanyBuyer(vat: 'required' | 'optional' | 'none'): fc.Arbitrary<Party> {
  return rec({
    name: textArb(200),
    legalRegistrationId: maybe(roLegalId, 3),
    vatIdentifier: vat === 'none' ? fc.constant(undefined) : vat === 'required' ? roVatId : maybe(roVatId, 3),
    address: roAddress,
    extras: partyExtras,
  })
    .map(({ extras, ...p }) => compact({ ...p, ...extras }))
    .filter((p) => p.vatIdentifier !== undefined || p.legalRegistrationId !== undefined);
}

/** A person buying in Romania (B2C): BT-47 a CNP or thirteen zeros, no VAT id. */
const personBuyer: fc.Arbitrary<Party> = rec({ name: textArb(200), legalRegistrationId: personId, address: roAddress, contact: maybe(contact, 1) }).map(compact);

/** An EU company outside Romania with its VAT id (intra-community supply, BR-IC-02). */
const euBuyer: fc.Arbitrary<Party> = fc.oneof(
  ...EU_VAT.map(([country, prefix, re]) =>
    rec({
      name: textArb(200),
      legalRegistrationId: maybe(textArb(30), 1),
      vatIdentifier: fc.stringMatching(re).map((n) => `${prefix}${n}`),
      address: foreignAddress(country, false),
      extras: partyExtras,
    }).map(({ extras, ...p }) => compact({ ...p, ...extras })),
  ),
);

/** A company outside the EU identified by its registration number (export, BR-RO-120 needs BT-47 or BT-48). */
const nonEuBuyer: fc.Arbitrary<Party> = rec({
  name: textArb(200),
  legalRegistrationId: textArb(30),
  address: fc.oneof(...NON_EU.map((country) => foreignAddress(country, false))),
  extras: partyExtras,
}).map(({ extras, ...p }) => compact({ ...p, ...extras }));

/* ------------------------------------------------------------------------------------------------
 * Lines, allowances, charges
 * ---------------------------------------------------------------------------------------------- */

type Category = InvoiceLine['vatCategory'];

/** Categories a line may take per profile; the first one is the profile's own and is on line 1. */
const PROFILE_CATEGORIES: Record<InvoiceProfile, readonly Category[]> = {
  domestic: ['S', 'S', 'S', 'Z', 'E'],
  b2c: ['S', 'S', 'Z', 'E'],
  'reverse-charge': ['AE', 'AE', 'S'],
  'intra-eu': ['K', 'K', 'AE'],
  export: ['G'],
  'out-of-scope': ['O'],
};

const UNIT_CODES = ['H87', 'C62', 'KGM', 'HUR', 'MON', 'DAY', 'LTR', 'MTR', 'TNE', 'KWH', 'SET', 'XPP'];
/** UNCL5189 allowance reason codes. */
const ALLOWANCE_CODES = ['41', '42', '60', '62', '63', '64', '65', '66', '67', '68', '70', '71', '88', '95', '100', '102', '103', '104', '105'];
/** UNCL7161 charge reason codes. */
const CHARGE_CODES = ['AA', 'AAA', 'AAC', 'ABK', 'ABL', 'ADR', 'FC', 'FI', 'LA', 'PC', 'SAA', 'TV'];
/** VATEX codes of exempt supplies (E). */
const E_VATEX = ['VATEX-EU-132', 'VATEX-EU-132-1I', 'VATEX-EU-132-1A', 'VATEX-EU-143', 'VATEX-EU-79-C', 'VATEX-EU-309'];

/** A reason and/or a reason code (BR-33/38/42/44: one of them). */
function reasonArb(codes: readonly string[]) {
  return rec({ reason: maybe(textArb(100)), reasonCode: maybe(fc.constantFrom(...codes)) })
    .map(compact)
    .filter((r) => r.reason !== undefined || r.reasonCode !== undefined);
}

const lineAllowance: fc.Arbitrary<LineAllowanceCharge> = rec({ amount: decimalString(0.01, 500, 2), r: reasonArb(ALLOWANCE_CODES) }).map(({ amount, r }) => ({ amount, ...r }));
const lineCharge: fc.Arbitrary<LineAllowanceCharge> = rec({ amount: decimalString(0.01, 500, 2), r: reasonArb(CHARGE_CODES) }).map(({ amount, r }) => ({ amount, ...r }));

/** A line without id, category and rate: those are set when the document is assembled. */
const lineTemplate = rec({
  note: maybe(textArb(300), 1),
  quantity: fc.oneof(
    { arbitrary: decimalString(0.001, 10_000, 3), weight: 8 },
    { arbitrary: decimalString(0.000001, 100, 6, 4), weight: 1 },
    { arbitrary: decimalString(0.01, 50, 2).map((q) => `-${q}`), weight: 1 },
  ),
  unitCode: fc.constantFrom(...UNIT_CODES),
  itemName: textArb(100),
  itemDescription: maybe(textArb(200), 1),
  sellersItemId: maybe(textArb(100), 1),
  priceAmount: fc.oneof({ arbitrary: decimalString(0, 99_999, 6), weight: 9 }, { arbitrary: fc.constant('0'), weight: 1 }),
  allowances: fc.array(lineAllowance, { maxLength: 2 }),
  charges: fc.array(lineCharge, { maxLength: 2 }),
  /** Picks the category among the profile's. */
  categoryPick: fc.nat(),
  /** Picks the rate among those of the category and date. */
  ratePick: fc.nat(),
  /** Writes a rate with ".00" (the schema and the builder keep the form given). */
  rateWithDecimals: fc.boolean(),
  idPrefix: maybe(fc.oneof(fc.stringMatching(/^[A-Z]{1,3}-$/), textArb(45)), 1),
});

/** A document level allowance or charge whose (category, rate) is picked among the lines'. */
function docAllowanceTemplate(codes: readonly string[]) {
  return rec({ amount: decimalString(0.01, 1000, 2), r: reasonArb(codes), pick: fc.nat() });
}

/* ------------------------------------------------------------------------------------------------
 * The document
 * ---------------------------------------------------------------------------------------------- */

/** Foreign currencies (ISO 4217) and a plausible RON rate range for each. */
const FOREIGN_CURRENCIES: ReadonlyArray<readonly [code: string, min: number, max: number]> = [
  ['EUR', 4.7, 5.2],
  ['USD', 4.2, 4.9],
  ['GBP', 5.5, 6.2],
  ['CHF', 4.9, 5.6],
  ['HUF', 0.011, 0.014],
];

const exemptionText = textArb(300);

/** The generated facts a document is assembled from. */
const documentFacts = (opts: Required<InvoiceArbitraryOptions>) =>
  rec({
    profile: fc.constantFrom(...opts.profiles),
    kind: fc.oneof(
      { arbitrary: fc.constant('380' as const), weight: 6 },
      { arbitrary: fc.constant('384' as const), weight: 1 },
      { arbitrary: fc.constant('389' as const), weight: 2 },
      { arbitrary: fc.constant('751' as const), weight: 1 },
      { arbitrary: fc.constant('381' as const), weight: 3 },
    ),
    number: fc.oneof(
      { withCrossShrink: true },
      { arbitrary: fc.stringMatching(/^[A-Z]{2,5}-?(20[0-9]{2}-)?[0-9]{1,8}$/), weight: 4 },
      { arbitrary: textArb(199).map((t) => `${t}7`), weight: 1 },
    ),
    issueDay: fc.integer({ min: 0, max: 3 * 365 }),
    currency: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 2 },
      { arbitrary: fc.constantFrom(...FOREIGN_CURRENCIES).chain(([code, lo, hi]) => decimalString(lo, hi, 6, 3).filter((x) => /[1-9]/.test(x)).map((rate) => ({ code, rate }))), weight: 1 },
    ),
    /** 'ubl' gives BT-111 directly; 'any' may give the exchange rate instead. */
    exchangeRateGiven: fc.boolean(),
    dueInDays: maybe(fc.integer({ min: 0, max: 90 }), 3),
    paymentTerms: maybe(textArb(300), 2),
    notes: fc.array(textArb(300), { maxLength: 3 }),
    buyerReference: maybe(textArb(200), 1),
    orderReference: maybe(textArb(200), 1),
    preceding: rec({ number: fc.stringMatching(/^[A-Z]{2,5}-[0-9]{1,8}$/), daysBefore: maybe(fc.integer({ min: 0, max: 400 }), 3) }),
    precedingForOthers: fc.boolean(),
    period: maybe(rec({ start: maybe(fc.integer({ min: 0, max: 60 }), 3), length: maybe(fc.integer({ min: 0, max: 60 }), 3) }), 1),
    delivery: maybe(rec({ daysBefore: maybe(fc.integer({ min: 0, max: 30 }), 3), address: maybe(roAddress, 1) }), 1),
    /** K: date (else period), and whether a deliver-to subdivision is free text. */
    kDeliveryByDate: fc.boolean(),
    kDeliveryAddress: foreignAddress('DE', true),
    paymentMeans: maybe(
      rec({
        code: fc.constantFrom('30', '42', '31', '58', '10', '48', '1', '97', 'ZZZ'),
        paymentId: maybe(textArb(140), 1),
        account: maybe(fc.stringMatching(/^RO[0-9]{2}[A-Z]{4}[0-9A-Z]{16}$/), 3),
        accountName: maybe(textArb(200), 1),
      }),
      3,
    ),
    prepaid: maybe(decimalString(0, 1000, 2), 1),
    lines: fc.array(lineTemplate, { minLength: 1, maxLength: opts.maxLines }),
    docAllowances: fc.array(docAllowanceTemplate(ALLOWANCE_CODES), { maxLength: 2 }),
    docCharges: fc.array(docAllowanceTemplate(CHARGE_CODES), { maxLength: 2 }),
    /** Per exemption category: 0 default text and code, 1 own text, 2 own code, 3 own text and code, 4 none given (builder default, 'any' only). */
    exemptionStyle: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 5, maxLength: 5 }),
    exemptionTexts: fc.array(exemptionText, { minLength: 5, maxLength: 5 }),
    eCode: fc.constantFrom(...E_VATEX),
    sellerVat: sellerArb(true),
    sellerNoVat: sellerArb(false),
    domesticBuyer: roCompanyBuyer('optional'),
    aeBuyer: roCompanyBuyer('required'),
    oBuyer: fc.oneof(roCompanyBuyer('none'), personBuyer),
    person: personBuyer,
    euBuyer,
    nonEuBuyer,
  });

type Facts = ReturnType<typeof documentFacts> extends fc.Arbitrary<infer F> ? F : never;

const EXEMPTION_ORDER = ['E', 'AE', 'K', 'G', 'O'] as const;

/** Builds one document from generated facts. */
function assemble(f: Facts, form: 'ubl' | 'any'): InvoiceDocument {
  const issueDate = dayString(f.issueDay);
  const isCreditNote = f.kind === '381';
  const cats = PROFILE_CATEGORIES[f.profile];
  const sRates = roStandardRates(issueDate);

  const ids = new Set<string>();
  const lines: InvoiceLine[] = f.lines.map((t, i) => {
    let id = `${t.idPrefix ?? ''}${i + 1}`;
    while (ids.has(id)) id = `${id}'`; // BT-126 unique
    ids.add(id);
    const vatCategory = i === 0 ? cats[0]! : cats[t.categoryPick % cats.length]!;
    let vatRate: string | undefined;
    if (vatCategory === 'S') vatRate = sRates[t.ratePick % sRates.length]!;
    else if (vatCategory !== 'O') vatRate = '0';
    if (vatRate !== undefined && t.rateWithDecimals) vatRate = `${vatRate}.00`;
    return compact({
      id,
      note: t.note,
      quantity: t.quantity,
      unitCode: t.unitCode,
      itemName: t.itemName,
      itemDescription: t.itemDescription,
      sellersItemId: t.sellersItemId,
      priceAmount: t.priceAmount,
      vatCategory,
      vatRate,
      allowances: t.allowances.length > 0 ? t.allowances : undefined,
      charges: t.charges.length > 0 ? t.charges : undefined,
    });
  });
  const pairs = lines.map((l) => ({ vatCategory: l.vatCategory, vatRate: l.vatRate }));
  const docAc = (t: Facts['docAllowances'][number]): DocumentAllowanceCharge => {
    const p = pairs[t.pick % pairs.length]!;
    return compact({ amount: t.amount, vatCategory: p.vatCategory, vatRate: p.vatRate, ...t.r });
  };
  const allowances = f.docAllowances.map(docAc);
  const charges = f.docCharges.map(docAc);

  // Parties per profile.
  let seller: Party;
  let buyer: Party;
  switch (f.profile) {
    case 'domestic':
      seller = f.sellerVat;
      buyer = f.domesticBuyer;
      break;
    case 'b2c':
      seller = f.sellerVat;
      buyer = f.person;
      break;
    case 'reverse-charge':
      seller = f.sellerVat;
      buyer = f.aeBuyer;
      break;
    case 'intra-eu':
      seller = f.sellerVat;
      buyer = f.euBuyer;
      break;
    case 'export':
      seller = f.sellerVat;
      buyer = f.nonEuBuyer;
      break;
    case 'out-of-scope':
      seller = f.sellerNoVat;
      buyer = f.oBuyer;
      break;
  }

  // Invoicing period and delivery; K needs a delivery date or a period (BR-IC-11) and a deliver-to country (BR-IC-12).
  let invoicePeriod: InvoiceDocument['invoicePeriod'] = f.period
    ? compact({
        startDate: f.period.start !== undefined ? addDays(issueDate, -f.period.start) : undefined,
        endDate: f.period.length !== undefined ? addDays(issueDate, -(f.period.start ?? 0) + f.period.length) : undefined,
      })
    : undefined;
  if (invoicePeriod && Object.keys(invoicePeriod).length === 0) invoicePeriod = { endDate: issueDate };
  let delivery: InvoiceDocument['delivery'] = f.delivery
    ? compact({
        actualDeliveryDate: f.delivery.daysBefore !== undefined ? addDays(issueDate, -f.delivery.daysBefore) : undefined,
        address: f.delivery.address,
      })
    : undefined;
  if (delivery && Object.keys(delivery).length === 0) delivery = { actualDeliveryDate: issueDate };
  if (lines.some((l) => l.vatCategory === 'K')) {
    const address = { ...f.kDeliveryAddress, countryCode: buyer.address.countryCode };
    const actualDeliveryDate = delivery?.actualDeliveryDate ?? (f.kDeliveryByDate || !invoicePeriod ? addDays(issueDate, -(f.delivery?.daysBefore ?? 0)) : undefined);
    delivery = compact({ actualDeliveryDate, address });
  }

  // Payment: BR-61 (account for 30/58); a CreditNote carries BT-9 in PaymentMeans; BR-CO-25 (due date or terms).
  let paymentMeans = f.paymentMeans ? { ...f.paymentMeans } : undefined;
  if (paymentMeans && ['30', '58'].includes(paymentMeans.code) && paymentMeans.account === undefined) paymentMeans.account = 'RO49AAAA1B31007593840000';
  if (paymentMeans && form === 'ubl' && paymentMeans.account === undefined) paymentMeans.accountName = undefined;
  paymentMeans = paymentMeans && compact(paymentMeans);
  let dueDate = f.dueInDays !== undefined ? addDays(issueDate, f.dueInDays) : undefined;
  if (isCreditNote && !paymentMeans) dueDate = undefined;
  const paymentTerms = dueDate === undefined && f.paymentTerms === undefined ? `Plata in 30 de zile (${f.number})` : f.paymentTerms;

  // Exemption reasons (BT-120/121) of the categories used, in VAT breakdown order; E must have one (BR-E-10).
  const used = new Set<string>([...lines.map((l) => l.vatCategory)]);
  const vatExemptions: NonNullable<InvoiceDocument['vatExemptions']> = [];
  EXEMPTION_ORDER.forEach((category, i) => {
    if (!used.has(category)) return;
    let style = f.exemptionStyle[i]!;
    if (style === 4 && (form === 'ubl' || category === 'E')) style = 0;
    if (style === 4) return;
    const fallback = category === 'E' ? { reason: 'Scutit conform art. 292 Cod fiscal', reasonCode: f.eCode } : DEFAULT_VAT_EXEMPTIONS[category]!;
    const own = f.exemptionTexts[i]!;
    const reasonCode = category === 'E' ? f.eCode : fallback.reasonCode;
    vatExemptions.push(
      style === 0 ? { vatCategory: category, ...fallback } : style === 1 ? { vatCategory: category, reason: own } : style === 2 ? { vatCategory: category, reasonCode } : { vatCategory: category, reason: own, reasonCode },
    );
  });

  const needsPreceding = f.kind === '381' || f.kind === '384' || f.precedingForOthers;
  const doc: InvoiceDocument = compact({
    documentType: isCreditNote ? 'CreditNote' : 'Invoice',
    number: f.number,
    issueDate,
    typeCode: f.kind,
    currencyCode: f.currency?.code ?? 'RON',
    taxCurrencyCode: f.currency ? ('RON' as const) : undefined,
    exchangeRate: f.currency ? f.currency.rate : undefined,
    dueDate,
    paymentTerms,
    notes: f.notes.length > 0 ? f.notes : undefined,
    buyerReference: f.buyerReference,
    orderReference: f.orderReference,
    precedingInvoice: needsPreceding
      ? compact({ number: f.preceding.number, issueDate: f.preceding.daysBefore !== undefined ? addDays(issueDate, -f.preceding.daysBefore) : undefined })
      : undefined,
    invoicePeriod,
    delivery,
    seller,
    buyer,
    paymentMeans,
    prepaidAmount: f.prepaid,
    allowances: allowances.length > 0 ? allowances : undefined,
    charges: charges.length > 0 ? charges : undefined,
    vatExemptions: vatExemptions.length > 0 ? vatExemptions : undefined,
    lines,
  });

  // BT-111: 'ubl' form gives the amount (round2(BT-110 × rate), what an accountant copies from the ledger).
  if (doc.exchangeRate !== undefined && (form === 'ubl' || !f.exchangeRateGiven)) {
    doc.taxTotalInTaxCurrency = computeTotals(doc).taxAmountInTaxCurrency!;
    delete doc.exchangeRate;
  }
  if (doc.prepaidAmount !== undefined && form === 'ubl') doc.prepaidAmount = computeTotals(doc).prepaidAmount;
  return doc;
}

/**
 * Business-valid invoice documents (see the module comment and {@link InvoiceArbitraryOptions}). Shrinks towards
 * fewer lines, no allowances or charges, the first profile and RON.
 */
export function invoiceDocumentArbitrary(options: InvoiceArbitraryOptions = {}): fc.Arbitrary<InvoiceDocument> {
  const opts: Required<InvoiceArbitraryOptions> = { form: 'ubl', profiles: INVOICE_PROFILES, maxLines: 6, ...options };
  return documentFacts(opts).map((f) => assemble(f, opts.form));
}

/**
 * The form in which the UBL keeps `doc`, i.e. what `invoiceDocumentFromUbl(parseUblDocument(buildCiusRoUbl(doc)))`
 * must return (a spec of what the builder writes differently, kept here to check the parser against):
 * - `exchangeRate` → `taxTotalInTaxCurrency` = BT-111 as the builder computes it (2 decimals);
 * - `taxTotalInTaxCurrency`, `prepaidAmount` → with 2 decimals;
 * - `vatExemptions` → one per category E, AE, K, G, O used, in VAT breakdown order, with the builder's default
 *   reason and code where none was given;
 * - `paymentMeans.accountName` without `account` → dropped (BG-17 is written only with BT-84);
 * - empty lists and objects without fields → absent; `undefined` values → absent keys.
 */
export function ublRoundTripForm(doc: InvoiceDocument): InvoiceDocument {
  const totals = computeTotals(doc);
  const out = structuredClone(doc) as InvoiceDocument & Record<string, unknown>;
  delete out.exchangeRate;
  if (totals.taxAmountInTaxCurrency !== null) out.taxTotalInTaxCurrency = totals.taxAmountInTaxCurrency;
  if (out.prepaidAmount !== undefined) out.prepaidAmount = totals.prepaidAmount;
  const seen = new Set<string>();
  const exemptions = totals.vatBreakdown.flatMap((v) => {
    if (v.exemptionReason === undefined && v.exemptionReasonCode === undefined) return [];
    if (seen.has(v.vatCategory)) return [];
    seen.add(v.vatCategory);
    return [compact({ vatCategory: v.vatCategory as 'E' | 'AE' | 'K' | 'G' | 'O', reason: v.exemptionReason, reasonCode: v.exemptionReasonCode })];
  });
  out.vatExemptions = exemptions.length > 0 ? exemptions : undefined;
  if (out.paymentMeans && out.paymentMeans.account === undefined) delete out.paymentMeans.accountName;
  return prune(out) as InvoiceDocument;
}

/** Drops `undefined` values, empty arrays and objects left without keys, recursively. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = prune(v);
    if (p === undefined) continue;
    if (Array.isArray(p) && p.length === 0) continue;
    if (typeof p === 'object' && p !== null && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return out;
}
