import { text } from './business-terms.js';
import type { RuleText, RuleTextTable } from './types.js';

/**
 * Texts of the EN 16931 1.3.8 VAT category rule families BR-S-*, BR-Z-*, BR-E-*, BR-AE-*, BR-IC-*,
 * BR-G-*, BR-O-*, BR-IG-*, BR-IP-* (UNCL 5305 codes S, Z, E, AE, K, G, O, L, M), generated per family
 * from the rule number: 01 breakdown present, 02-04 identifiers, 05-07 rates, 08 taxable amount,
 * 09 tax amount, 10 exemption reason (+ BR-IC-11/12 and BR-O-11..14).
 */

interface Family {
  /** UNCL 5305 VAT category code. */
  readonly code: string;
  /** Rule id prefix: `BR-${prefix}-nn`. */
  readonly prefix: string;
  readonly en: string;
  readonly ro: string;
  /** Rate rule of the family (BR-x-05..07). */
  readonly rate: 'positive' | 'zero' | 'none' | 'nonNegative';
  /** Identifiers BR-x-02..04 require: seller (BT-31/32/63), seller VAT only (BT-31/63), seller + buyer, or none allowed. */
  readonly ids: 'seller' | 'sellerVat' | 'sellerAndBuyer' | 'sellerVatAndBuyerVat' | 'noVatIds';
  /** Whether the VAT breakdown of the category carries an exemption reason (BR-x-10). */
  readonly exempt: boolean;
  /** Example exemption reason code (VATEX) for BR-x-10. */
  readonly vatex?: string;
}

const FAMILIES: readonly Family[] = [
  { code: 'S', prefix: 'S', en: 'standard rated', ro: 'cotă standard', rate: 'positive', ids: 'seller', exempt: false },
  { code: 'Z', prefix: 'Z', en: 'zero rated', ro: 'cotă zero', rate: 'zero', ids: 'seller', exempt: false },
  { code: 'E', prefix: 'E', en: 'exempt from VAT', ro: 'scutit de TVA', rate: 'zero', ids: 'seller', exempt: true, vatex: 'VATEX-EU-132' },
  { code: 'AE', prefix: 'AE', en: 'reverse charge', ro: 'taxare inversă', rate: 'zero', ids: 'sellerAndBuyer', exempt: true, vatex: 'VATEX-EU-AE' },
  {
    code: 'K',
    prefix: 'IC',
    en: 'intra-community supply',
    ro: 'livrare intracomunitară',
    rate: 'zero',
    ids: 'sellerVatAndBuyerVat',
    exempt: true,
    vatex: 'VATEX-EU-IC',
  },
  { code: 'G', prefix: 'G', en: 'export outside the EU', ro: 'export în afara UE', rate: 'zero', ids: 'sellerVat', exempt: true, vatex: 'VATEX-EU-G' },
  { code: 'O', prefix: 'O', en: 'not subject to VAT', ro: 'neimpozabil, în afara sferei TVA', rate: 'none', ids: 'noVatIds', exempt: true, vatex: 'VATEX-EU-O' },
  { code: 'L', prefix: 'IG', en: 'IGIC, Canary Islands', ro: 'IGIC, Insulele Canare', rate: 'nonNegative', ids: 'seller', exempt: false },
  { code: 'M', prefix: 'IP', en: 'IPSI, Ceuta and Melilla', ro: 'IPSI, Ceuta și Melilla', rate: 'nonNegative', ids: 'seller', exempt: false },
];

/** Where a category is used: rules nn = 02/05 (lines), 03/06 (document allowances), 04/07 (document charges). */
const USES = [
  { cat: 'BT-151', rate: 'BT-152', group: 'BG-25', en: 'an invoice line', ro: 'o linie de factură', enAll: 'every invoice line', roAll: 'fiecare linie de factură' },
  {
    cat: 'BT-95',
    rate: 'BT-96',
    group: 'BG-20',
    en: 'a document level allowance',
    ro: 'o deducere la nivelul documentului',
    enAll: 'every document level allowance',
    roAll: 'fiecare deducere la nivelul documentului',
  },
  {
    cat: 'BT-102',
    rate: 'BT-103',
    group: 'BG-21',
    en: 'a document level charge',
    ro: 'o majorare la nivelul documentului',
    enAll: 'every document level charge',
    roAll: 'fiecare majorare la nivelul documentului',
  },
] as const;

function identifierText(f: Family, use: (typeof USES)[number], catEn: string, catRo: string): RuleText {
  const why = { en: `: the invoice has ${use.en} (${use.cat}) in ${catEn}.`, ro: `: factura are ${use.ro} (${use.cat}) în ${catRo}.` };
  const t = (en: string, ro: string, meaning: string, terms: string[]) => text(en + why.en, ro + why.ro, meaning, [...terms, use.cat]);
  switch (f.ids) {
    case 'seller':
      return t(
        "Add the Seller VAT identifier ({BT-31}) with its country prefix (e.g. RO12345678), the seller's tax registration identifier (BT-32) or the tax representative VAT identifier (BT-63)",
        'Completați codul de TVA al vânzătorului ({BT-31}) cu prefixul de țară (de exemplu RO12345678), identificatorul de înregistrare fiscală al vânzătorului (BT-32) sau codul de TVA al reprezentantului fiscal (BT-63)',
        `An invoice using ${catEn} on ${use.en} identifies the seller for tax (BT-31, BT-32 or BT-63).`,
        ['BT-31', 'BT-32', 'BT-63'],
      );
    case 'sellerVat':
      return t(
        'Add the Seller VAT identifier ({BT-31}) with its country prefix (e.g. RO12345678) or the tax representative VAT identifier (BT-63)',
        'Completați codul de TVA al vânzătorului ({BT-31}) cu prefixul de țară (de exemplu RO12345678) sau codul de TVA al reprezentantului fiscal (BT-63)',
        `An invoice using ${catEn} on ${use.en} gives the seller's VAT identifier (BT-31 or BT-63).`,
        ['BT-31', 'BT-63'],
      );
    case 'sellerAndBuyer':
      return t(
        "Add both the seller's VAT identifier ({BT-31}; or BT-32, BT-63) and the Buyer VAT identifier ({BT-48}) or the buyer's legal registration identifier (BT-47)",
        'Completați atât codul de TVA al vânzătorului ({BT-31}; sau BT-32, BT-63), cât și codul de TVA al cumpărătorului ({BT-48}) sau identificatorul de înregistrare legală al cumpărătorului (BT-47)',
        `An invoice using ${catEn} on ${use.en} identifies both the seller (BT-31, BT-32 or BT-63) and the buyer (BT-48 or BT-47).`,
        ['BT-31', 'BT-32', 'BT-63', 'BT-48', 'BT-47'],
      );
    case 'sellerVatAndBuyerVat':
      return t(
        "Add both the seller's VAT identifier ({BT-31}, or BT-63) and the Buyer VAT identifier ({BT-48}) with the buyer's EU country prefix",
        'Completați atât codul de TVA al vânzătorului ({BT-31}, sau BT-63), cât și codul de TVA al cumpărătorului ({BT-48}) cu prefixul țării UE a cumpărătorului',
        `An invoice using ${catEn} on ${use.en} gives the seller's (BT-31 or BT-63) and the buyer's (BT-48) VAT identifiers.`,
        ['BT-31', 'BT-63', 'BT-48'],
      );
    case 'noVatIds':
      return text(
        `Remove the Seller VAT identifier ({BT-31}), the tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48), or change the VAT category (${use.cat}): an invoice with ${use.en} in ${catEn} carries no VAT identifiers.`,
        `Eliminați codul de TVA al vânzătorului ({BT-31}), codul de TVA al reprezentantului fiscal (BT-63) și codul de TVA al cumpărătorului (BT-48), sau schimbați categoria de TVA (${use.cat}): o factură cu ${use.ro} în ${catRo} nu conține coduri de TVA.`,
        `An invoice using ${catEn} on ${use.en} has no seller, tax representative or buyer VAT identifier.`,
        ['BT-31', 'BT-63', 'BT-48', use.cat],
      );
  }
}

function rateText(f: Family, use: (typeof USES)[number], catEn: string, catRo: string): RuleText {
  const r = `{${use.rate}}`;
  const terms = [use.rate, use.cat, use.group];
  switch (f.rate) {
    case 'positive':
      return text(
        `Set a VAT rate greater than zero (${r}) on ${use.enAll} in ${catEn}: the applicable standard or reduced rate.`,
        `Completați o cotă TVA mai mare decât zero (${r}) pentru ${use.roAll} în ${catRo}: cota standard sau redusă aplicabilă.`,
        `In ${catEn}, the VAT rate of ${use.en} (${use.rate}) is greater than zero.`,
        terms,
      );
    case 'zero':
      return text(
        `Set the VAT rate (${r}) to 0 on ${use.enAll} in ${catEn}.`,
        `Completați cota TVA (${r}) cu 0 pentru ${use.roAll} în ${catRo}.`,
        `In ${catEn}, the VAT rate of ${use.en} (${use.rate}) is 0.`,
        terms,
      );
    case 'none':
      return text(
        `Remove the VAT rate (${r}) from ${use.enAll} in ${catEn}: this category has no rate.`,
        `Eliminați cota TVA (${r}) din ${use.roAll} în ${catRo}: această categorie nu are cotă.`,
        `In ${catEn}, ${use.en} carries no VAT rate (${use.rate}).`,
        terms,
      );
    case 'nonNegative':
      return text(
        `Set the VAT rate (${r}) to 0 or a positive rate on ${use.enAll} in ${catEn}.`,
        `Completați cota TVA (${r}) cu 0 sau o valoare pozitivă pentru ${use.roAll} în ${catRo}.`,
        `In ${catEn}, the VAT rate of ${use.en} (${use.rate}) is present and not negative.`,
        terms,
      );
  }
}

function familyTexts(f: Family): Array<[string, RuleText]> {
  const id = (n: string) => `BR-${f.prefix}-${n}`;
  const q = `"${f.code}"`;
  const catEn = `VAT category ${q} (${f.en})`;
  const catRo = `categoria de TVA „${f.code}” (${f.ro})`;
  const perRate = f.rate === 'positive' || f.rate === 'nonNegative';
  const out: Array<[string, RuleText]> = [];
  const allUses = ['BT-151', 'BT-95', 'BT-102'];
  if (perRate) {
    out.push([
      id('01'),
      text(
        `Make the VAT breakdown match the categories used: add a VAT breakdown ({BG-23}) with VAT category code ({BT-118}) ${q} when a line (BT-151), allowance (BT-95) or charge (BT-102) uses ${catEn}, and remove it when none does.`,
        `Corelați detalierea TVA cu categoriile folosite: adăugați o detaliere TVA ({BG-23}) cu codul categoriei de TVA ({BT-118}) „${f.code}” când o linie (BT-151), o deducere (BT-95) sau o majorare (BT-102) folosește ${catRo}, și eliminați-o când niciuna nu o folosește.`,
        `The VAT breakdown has category ${q} exactly when some line, allowance or charge uses ${catEn}.`,
        ['BG-23', 'BT-118', ...allUses],
      ),
    ]);
  } else {
    out.push([
      id('01'),
      text(
        `Give exactly one VAT breakdown ({BG-23}) with VAT category code ({BT-118}) ${q}: lines (BT-151), allowances (BT-95) or charges (BT-102) use ${catEn}; add the missing breakdown or merge duplicates into one.`,
        `Indicați exact o detaliere TVA ({BG-23}) cu codul categoriei de TVA ({BT-118}) „${f.code}”: liniile (BT-151), deducerile (BT-95) sau majorările (BT-102) folosesc ${catRo}; adăugați detalierea lipsă sau comasați duplicatele într-una singură.`,
        `An invoice using ${catEn} has exactly one VAT breakdown of that category.`,
        ['BG-23', 'BT-118', ...allUses],
      ),
    ]);
  }
  USES.forEach((use, i) => out.push([id(`0${i + 2}`), identifierText(f, use, catEn, catRo)]));
  USES.forEach((use, i) => out.push([id(`0${i + 5}`), rateText(f, use, catEn, catRo)]));
  out.push([
    id('08'),
    perRate
      ? text(
          `Set the taxable amount ({BT-116}) of each ${q} VAT breakdown to the line net amounts (BT-131) plus document charges (BT-99) minus document allowances (BT-92) of ${catEn} at that breakdown's rate (BT-119); give one breakdown per rate used${f.code === 'S' ? ' and none for unused rates' : ''}.`,
          `Completați baza de impozitare ({BT-116}) a fiecărei detalieri TVA „${f.code}” cu valorile nete ale liniilor (BT-131) plus majorările (BT-99) minus deducerile la nivelul documentului (BT-92) din ${catRo} cu cota acelei detalieri (BT-119); indicați câte o detaliere pentru fiecare cotă folosită${f.code === 'S' ? ' și niciuna pentru cote nefolosite' : ''}.`,
          `For each rate of ${catEn}, the taxable amount (BT-116) equals lines (BT-131) + charges (BT-99) − allowances (BT-92) at that rate (±1).`,
          ['BT-116', 'BT-131', 'BT-99', 'BT-92', 'BT-119', 'BG-23'],
        )
      : text(
          `Set the taxable amount ({BT-116}) of the ${q} VAT breakdown to the line net amounts (BT-131) plus document charges (BT-99) minus document allowances (BT-92) of ${catEn}.`,
          `Completați baza de impozitare ({BT-116}) a detalierii TVA „${f.code}” cu valorile nete ale liniilor (BT-131) plus majorările (BT-99) minus deducerile la nivelul documentului (BT-92) din ${catRo}.`,
          `The taxable amount (BT-116) of ${catEn} equals its lines (BT-131) + charges (BT-99) − allowances (BT-92).`,
          ['BT-116', 'BT-131', 'BT-99', 'BT-92', 'BG-23'],
        ),
  ]);
  out.push([
    id('09'),
    perRate
      ? text(
          `Set the VAT amount ({BT-117}) of each ${q} VAT breakdown to its taxable amount (BT-116) × rate (BT-119) / 100, rounded to 2 decimals.`,
          `Completați valoarea TVA ({BT-117}) a fiecărei detalieri TVA „${f.code}” cu baza de impozitare (BT-116) × cota (BT-119) / 100, rotunjită la 2 zecimale.`,
          `The VAT amount (BT-117) of ${catEn} equals taxable amount (BT-116) × rate (BT-119) (±1).`,
          ['BT-117', 'BT-116', 'BT-119', 'BG-23'],
        )
      : text(
          `Set the VAT amount ({BT-117}) of the ${q} VAT breakdown to 0: ${catEn} carries no VAT.`,
          `Completați valoarea TVA ({BT-117}) a detalierii TVA „${f.code}” cu 0: ${catRo} nu are TVA.`,
          `The VAT amount (BT-117) of ${catEn} is 0.`,
          ['BT-117', 'BG-23'],
        ),
  ]);
  out.push([
    id('10'),
    f.exempt
      ? text(
          `Add a VAT exemption reason code ({BT-121}), e.g. ${f.vatex}, or a reason text ({BT-120}) to the ${q} VAT breakdown (${f.en}).`,
          `Completați codul motivului scutirii de TVA ({BT-121}), de exemplu ${f.vatex}, sau motivul scutirii ({BT-120}) în detalierea TVA „${f.code}” (${f.ro}).`,
          `The VAT breakdown of ${catEn} gives an exemption reason code (BT-121) or text (BT-120).`,
          ['BT-121', 'BT-120', 'BG-23'],
        )
      : text(
          `Remove the VAT exemption reason ({BT-120}) and reason code ({BT-121}) from the ${q} VAT breakdown: ${catEn} is not an exemption.`,
          `Eliminați motivul scutirii de TVA ({BT-120}) și codul motivului ({BT-121}) din detalierea TVA „${f.code}”: ${catRo} nu este o scutire.`,
          `The VAT breakdown of ${catEn} has no exemption reason (BT-120) or code (BT-121).`,
          ['BT-120', 'BT-121', 'BG-23'],
        ),
  ]);
  return out;
}

const EXTRA: RuleTextTable = {
  'BR-IC-11': text(
    'Add the Actual delivery date ({BT-72}) or an Invoicing period ({BG-14}): an intra-community supply (VAT category "K") states when the goods were delivered.',
    'Completați data reală a livrării ({BT-72}) sau perioada de facturare ({BG-14}): o livrare intracomunitară (categoria de TVA „K”) indică data livrării.',
    'An invoice with a VAT breakdown in category K gives the Actual delivery date ({BT-72}) or the Invoicing period ({BG-14}).',
    ['BT-72', 'BG-14', 'BT-118'],
  ),
  'BR-IC-12': text(
    'Add the Deliver to country code ({BT-80}): an intra-community supply (VAT category "K") names the EU country the goods go to.',
    'Completați codul țării de livrare ({BT-80}): o livrare intracomunitară (categoria de TVA „K”) indică țara UE de destinație.',
    'An invoice with a VAT breakdown in category K gives the Deliver to country code ({BT-80}).',
    ['BT-80', 'BT-118'],
  ),
  'BR-O-11': text(
    'Remove the VAT breakdowns ({BG-23}) of other categories, or invoice the taxable supplies separately: an invoice with a VAT breakdown in category "O" (not subject to VAT) has no other VAT breakdown.',
    'Eliminați detalierile TVA ({BG-23}) din alte categorii sau facturați separat livrările taxabile: o factură cu detaliere TVA în categoria „O” (neimpozabil) nu are alte detalieri TVA.',
    'A VAT breakdown of category O is the only VAT breakdown of the invoice.',
    ['BG-23', 'BT-118'],
  ),
  'BR-O-12': text(
    'Set the VAT category ({BT-151}) of every invoice line to "O", or invoice the other lines separately: an invoice with a category "O" VAT breakdown has only category O lines.',
    'Folosiți categoria de TVA „O” ({BT-151}) pentru toate liniile sau facturați separat celelalte linii: o factură cu detaliere TVA „O” are doar linii în categoria O.',
    'An invoice with a VAT breakdown of category O has no line in another category.',
    ['BT-151', 'BT-118', 'BG-25'],
  ),
  'BR-O-13': text(
    'Set the VAT category ({BT-95}) of every document level allowance to "O": an invoice with a category "O" VAT breakdown has only category O allowances.',
    'Folosiți categoria de TVA „O” ({BT-95}) pentru toate deducerile la nivelul documentului: o factură cu detaliere TVA „O” are doar deduceri în categoria O.',
    'An invoice with a VAT breakdown of category O has no document level allowance in another category.',
    ['BT-95', 'BT-118', 'BG-20'],
  ),
  'BR-O-14': text(
    'Set the VAT category ({BT-102}) of every document level charge to "O": an invoice with a category "O" VAT breakdown has only category O charges.',
    'Folosiți categoria de TVA „O” ({BT-102}) pentru toate majorările la nivelul documentului: o factură cu detaliere TVA „O” are doar majorări în categoria O.',
    'An invoice with a VAT breakdown of category O has no document level charge in another category.',
    ['BT-102', 'BT-118', 'BG-21'],
  ),
};

/** Texts of the VAT category families (BR-S/Z/E/AE/IC/G/O/IG/IP-nn). */
export const VAT_CATEGORY_TEXTS: RuleTextTable = { ...Object.fromEntries(FAMILIES.flatMap(familyTexts)), ...EXTRA };
