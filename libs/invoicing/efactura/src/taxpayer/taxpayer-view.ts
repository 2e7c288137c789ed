import type { Taxpayer, TaxpayerAddress } from '@cetate/anaf-client';
import { RO_BUCHAREST_SECTORS, RO_COUNTY_CODES, type SupplierCheck, type TaxpayerBuyerView } from '@cetate/invoicing-contracts';
import type { TaxpayerLookupResult } from './taxpayer-lookup.js';

/** `GET /v1/taxpayers/:cui`'s answer (`TaxpayerBuyerView` of `@cetate/invoicing-contracts`, shared with the UI). */
export type { TaxpayerBuyerView };

/** County names as ANAF writes them (`*denumire_Judet`, upper case, diacritics removed) -> ISO 3166-2:RO suffix. */
const COUNTY_BY_NAME: Record<string, string> = {
  ALBA: 'AB', ARAD: 'AR', ARGES: 'AG', BACAU: 'BC', BIHOR: 'BH', 'BISTRITA-NASAUD': 'BN', BOTOSANI: 'BT', BRASOV: 'BV',
  BRAILA: 'BR', BUCURESTI: 'B', 'MUNICIPIUL BUCURESTI': 'B', BUZAU: 'BZ', 'CARAS-SEVERIN': 'CS', CALARASI: 'CL', CLUJ: 'CJ',
  CONSTANTA: 'CT', COVASNA: 'CV', DAMBOVITA: 'DB', DOLJ: 'DJ', GALATI: 'GL', GIURGIU: 'GR', GORJ: 'GJ', HARGHITA: 'HR',
  HUNEDOARA: 'HD', IALOMITA: 'IL', IASI: 'IS', ILFOV: 'IF', MARAMURES: 'MM', MEHEDINTI: 'MH', MURES: 'MS', NEAMT: 'NT',
  OLT: 'OT', PRAHOVA: 'PH', 'SATU MARE': 'SM', SALAJ: 'SJ', SIBIU: 'SB', SUCEAVA: 'SV', TELEORMAN: 'TR', TIMIS: 'TM',
  TULCEA: 'TL', VASLUI: 'VS', VALCEA: 'VL', VRANCEA: 'VN',
};

const ISO_CODES: ReadonlySet<string> = new Set<string>(RO_COUNTY_CODES);
const SECTORS: ReadonlySet<string> = new Set<string>(RO_BUCHAREST_SECTORS);

/** Upper case without Romanian diacritics (both comma and cedilla forms), single spaces, `JUD.` dropped. */
function plain(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/^JUD(ETUL|\.)?\s*/, '')
    .replace(/\s*-\s*/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The ISO 3166-2:RO code (`RO-CJ`, `RO-B`) of an ANAF address: from `*cod_JudetAuto` (the licence-plate code, which
 * is the ISO suffix), else from the county name. Null when neither gives a code of the CIUS-RO list (BR-RO-110/111).
 */
export function isoCountyOf(a: Pick<TaxpayerAddress, 'countyAutoCode' | 'county'>): string | null {
  const auto = a.countyAutoCode ? `RO-${a.countyAutoCode.trim().toUpperCase()}` : null;
  if (auto && ISO_CODES.has(auto)) return auto;
  const byName = a.county ? COUNTY_BY_NAME[plain(a.county)] : undefined;
  return byName ? `RO-${byName}` : null;
}

/**
 * The city (BT-52) of an ANAF address: in Bucharest (`RO-B`) `SECTORn` read from the locality (`Sector 1 Mun.
 * Bucureşti`) or the full address text (CIUS-RO BR-RO-100/101), else the locality without its `Mun.`/`Oraş`/`Com.`
 * prefix. Null when unknown (and in Bucharest when no sector is written).
 */
export function cityOf(a: Pick<TaxpayerAddress, 'locality'>, county: string | null, fullAddress: string | null = null): string | null {
  if (county === 'RO-B') {
    for (const text of [a.locality, fullAddress]) {
      const n = text ? /\bSECTOR(?:UL)?\s*([1-6])\b/i.exec(plain(text))?.[1] : undefined;
      if (n && SECTORS.has(`SECTOR${n}`)) return `SECTOR${n}`;
    }
    return null;
  }
  if (!a.locality) return null;
  return a.locality.replace(/^(municipiul|mun\.?|ora[sş]ul|ora[sş]|or\.|comuna|com\.?|satul|sat)\s+/i, '').trim() || null;
}

/** `Str. X`, `nr. 31`, details, joined by `, `; null when the address has no street and no details. */
function streetOf(a: TaxpayerAddress): string | null {
  const parts = [a.street, a.number ? `nr. ${a.number}` : null, a.details].filter((p): p is string => !!p);
  return parts.length ? parts.join(', ') : null;
}

/**
 * The buyer-ready view of a found lookup result (registered office, else fiscal domicile, else the one-line `adresa`
 * as the street). Source of each field: {@link TaxpayerBuyerView}.
 */
export function toBuyerView(r: Extract<TaxpayerLookupResult, { found: true }>): TaxpayerBuyerView {
  const t: Taxpayer = r.taxpayer;
  const a = t.registeredOffice ?? t.fiscalDomicile;
  const county = a ? isoCountyOf(a) : null;
  return {
    cui: t.cui,
    name: t.name,
    vatId: t.vatRegistered ? `RO${t.cui}` : null,
    tradeRegister: t.nrRegCom,
    address: {
      street: (a && streetOf(a)) ?? t.address,
      city: a ? cityOf(a, county, t.address) : null,
      county,
      postalCode: a?.postalCode ?? t.postalCode,
      country: 'RO',
    },
    vatRegistered: t.vatRegistered,
    inactive: t.inactive,
    eFacturaRegistered: t.eFacturaRegistered,
    checkedAt: r.checkedAt.toISOString(),
    source: r.source,
  };
}

/**
 * The supplier check of an inbound bill (`SupplierCheck` of `@cetate/invoicing-contracts`): found or not, name, VAT
 * registration (`scpTVA`) and inactivity (`statusInactivi`) on the day asked (the invoice's issue date).
 */
export function toSupplierCheck(r: TaxpayerLookupResult): SupplierCheck {
  return r.found
    ? { found: true, name: r.taxpayer.name, vatRegistered: r.taxpayer.vatRegistered, inactive: r.taxpayer.inactive, checkedAt: r.checkedAt.toISOString() }
    : { found: false, name: null, vatRegistered: null, inactive: null, checkedAt: r.checkedAt.toISOString() };
}
