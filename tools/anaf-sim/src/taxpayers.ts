/**
 * Taxpayer lookup `PlatitorTvaRest/v9/tva` of the simulator: the registry of taxpayers (fixture +
 * added at run time) and the answer ANAF builds for one `{cui, data}` query.
 *
 * Field names follow ANAF's published v8/v9 description (`doc_WS_V9.txt` at static.anaf.ro, the
 * grouped answer `date_generale`, `inregistrare_scop_Tva`, `inregistrare_RTVAI`, `stare_inactiv`,
 * `inregistrare_SplitTVA`, `adresa_sediu_social`, `adresa_domiciliu_fiscal`) as open-source clients
 * read them (e.g. sibies/Anaf.Net `PlatitorTvaV8FoundAnafResponse`); see the README for sources.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One VAT registration period (`inregistrare_scop_Tva.perioade_TVA[]`); dates `YYYY-MM-DD`, `''` when open. */
export interface PerioadaTva {
  data_inceput_ScpTVA: string;
  data_sfarsit_ScpTVA: string;
  data_anul_imp_ScpTVA: string;
  mesaj_ScpTVA: string;
}

/** Address group with ANAF's prefix: `s` = `adresa_sediu_social`, `d` = `adresa_domiciliu_fiscal`. */
export type AnafAddress<P extends 's' | 'd'> = {
  [K in `${P}denumire_Strada` | `${P}numar_Strada` | `${P}denumire_Localitate` | `${P}cod_Localitate` | `${P}denumire_Judet` | `${P}cod_Judet` | `${P}cod_JudetAuto` | `${P}tara` | `${P}detalii_Adresa` | `${P}cod_Postal`]: string;
};

/**
 * One `found[]` entry of `PlatitorTvaRest/v9/tva`, exactly as ANAF shapes it. The booleans
 * `scpTVA`, `statusTvaIncasare`, `statusInactivi`, `statusSplitTVA` and `date_generale.data` are
 * computed per query from the stored dates (the state on the queried `data`).
 */
export interface AnafTaxpayerRecord {
  date_generale: {
    /** CUI without `RO`, a number (as ANAF answers it). */
    cui: number;
    /** Queried day, `YYYY-MM-DD`. */
    data: string;
    denumire: string;
    adresa: string;
    nrRegCom: string;
    telefon: string;
    fax: string;
    codPostal: string;
    act: string;
    stare_inregistrare: string;
    data_inregistrare: string;
    cod_CAEN: string;
    iban: string;
    statusRO_e_Factura: boolean;
    data_inreg_Reg_RO_e_Factura: string;
    organFiscalCompetent: string;
    forma_de_proprietate: string;
    forma_organizare: string;
    forma_juridica: string;
  };
  inregistrare_scop_Tva: { scpTVA: boolean; perioade_TVA: PerioadaTva[] };
  inregistrare_RTVAI: {
    dataInceputTvaInc: string;
    dataSfarsitTvaInc: string;
    dataActualizareTvaInc: string;
    dataPublicareTvaInc: string;
    tipActTvaInc: string;
    statusTvaIncasare: boolean;
  };
  stare_inactiv: { dataInactivare: string; dataReactivare: string; dataPublicare: string; dataRadiere: string; statusInactivi: boolean };
  inregistrare_SplitTVA: { dataInceputSplitTVA: string; dataAnulareSplitTVA: string; statusSplitTVA: boolean };
  adresa_sediu_social: AnafAddress<'s'>;
  adresa_domiciliu_fiscal: AnafAddress<'d'>;
}

/** Deep-partial record accepted by `POST /__sim/taxpayers` and the fixture: `date_generale.cui` and `denumire` are required. */
export type SimTaxpayerInput = {
  [G in Exclude<keyof AnafTaxpayerRecord, 'date_generale'>]?: Partial<AnafTaxpayerRecord[G]>;
} & { date_generale: Partial<Omit<AnafTaxpayerRecord['date_generale'], 'cui'>> & { cui: number | string; denumire: string } };

const CIF_KEY = [7, 5, 3, 2, 1, 7, 5, 3, 2];

/**
 * Romanian CIF/CUI check digit: the body (all digits but the last, at most 9) right-aligned on the key
 * 753217532, Σ digit × key, × 10 mod 11, 10 → 0 (ANAF's published algorithm; same rule as
 * `isValidCif` of @cetate/platform-tenancy, which a tool may not import).
 * @param cif digits, optionally prefixed `RO`
 * @returns true when 2..10 digits and the last one is the check digit
 */
export function isValidCui(cif: string | number): boolean {
  const m = /^(?:RO)?(\d{2,10})$/i.exec(String(cif).trim());
  if (!m) return false;
  const digits = m[1]!;
  return cuiCheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

/** Check digit for a CUI body of 1..9 digits (see {@link isValidCui}). */
export function cuiCheckDigit(body: string): number {
  const padded = body.padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(padded[i]) * CIF_KEY[i]!;
  const r = (sum * 10) % 11;
  return r === 10 ? 0 : r;
}

/** A valid CUI made from `body` (1..9 digits) by appending its check digit. */
export function makeCui(body: number): string {
  const b = String(body);
  return `${b}${cuiCheckDigit(b)}`;
}

function address<P extends 's' | 'd'>(p: P, a: Partial<AnafAddress<P>> | undefined): AnafAddress<P> {
  const keys = ['denumire_Strada', 'numar_Strada', 'denumire_Localitate', 'cod_Localitate', 'denumire_Judet', 'cod_Judet', 'cod_JudetAuto', 'tara', 'detalii_Adresa', 'cod_Postal'];
  const out: Record<string, string> = {};
  for (const k of keys) out[`${p}${k}`] = (a as Record<string, string> | undefined)?.[`${p}${k}`] ?? '';
  return out as AnafAddress<P>;
}

/**
 * Fills every field ANAF sends (empty strings / false where the input says nothing).
 * @throws RangeError when the CUI is not 2..10 digits with a valid check digit, or `denumire` is empty
 */
export function normaliseTaxpayer(input: SimTaxpayerInput): AnafTaxpayerRecord {
  const g = input.date_generale;
  if (!isValidCui(String(g.cui))) throw new RangeError(`CUI ${String(g.cui)} has no valid check digit`);
  if (!g.denumire) throw new RangeError('date_generale.denumire is required');
  const s = (v: string | undefined) => v ?? '';
  const sediu = address('s', input.adresa_sediu_social);
  return {
    date_generale: {
      cui: Number(String(g.cui).replace(/^RO/i, '')),
      data: '',
      denumire: g.denumire,
      adresa: s(g.adresa),
      nrRegCom: s(g.nrRegCom),
      telefon: s(g.telefon),
      fax: s(g.fax),
      codPostal: s(g.codPostal),
      act: s(g.act),
      stare_inregistrare: s(g.stare_inregistrare) || 'INREGISTRAT',
      data_inregistrare: s(g.data_inregistrare),
      cod_CAEN: s(g.cod_CAEN),
      iban: s(g.iban),
      statusRO_e_Factura: g.statusRO_e_Factura ?? false,
      data_inreg_Reg_RO_e_Factura: s(g.data_inreg_Reg_RO_e_Factura),
      organFiscalCompetent: s(g.organFiscalCompetent),
      forma_de_proprietate: s(g.forma_de_proprietate),
      forma_organizare: s(g.forma_organizare),
      forma_juridica: s(g.forma_juridica),
    },
    inregistrare_scop_Tva: {
      scpTVA: false,
      perioade_TVA: (input.inregistrare_scop_Tva?.perioade_TVA ?? []).map((p) => ({
        data_inceput_ScpTVA: s(p.data_inceput_ScpTVA),
        data_sfarsit_ScpTVA: s(p.data_sfarsit_ScpTVA),
        data_anul_imp_ScpTVA: s(p.data_anul_imp_ScpTVA),
        mesaj_ScpTVA: s(p.mesaj_ScpTVA),
      })),
    },
    inregistrare_RTVAI: {
      dataInceputTvaInc: s(input.inregistrare_RTVAI?.dataInceputTvaInc),
      dataSfarsitTvaInc: s(input.inregistrare_RTVAI?.dataSfarsitTvaInc),
      dataActualizareTvaInc: s(input.inregistrare_RTVAI?.dataActualizareTvaInc),
      dataPublicareTvaInc: s(input.inregistrare_RTVAI?.dataPublicareTvaInc),
      tipActTvaInc: s(input.inregistrare_RTVAI?.tipActTvaInc),
      statusTvaIncasare: false,
    },
    stare_inactiv: {
      dataInactivare: s(input.stare_inactiv?.dataInactivare),
      dataReactivare: s(input.stare_inactiv?.dataReactivare),
      dataPublicare: s(input.stare_inactiv?.dataPublicare),
      dataRadiere: s(input.stare_inactiv?.dataRadiere),
      statusInactivi: false,
    },
    inregistrare_SplitTVA: {
      dataInceputSplitTVA: s(input.inregistrare_SplitTVA?.dataInceputSplitTVA),
      dataAnulareSplitTVA: s(input.inregistrare_SplitTVA?.dataAnulareSplitTVA),
      statusSplitTVA: false,
    },
    adresa_sediu_social: sediu,
    // ANAF fills the fiscal domicile; when the input gives none it is the registered office.
    adresa_domiciliu_fiscal: input.adresa_domiciliu_fiscal
      ? address('d', input.adresa_domiciliu_fiscal)
      : (Object.fromEntries(Object.entries(sediu).map(([k, v]) => [`d${k.slice(1)}`, v])) as AnafAddress<'d'>),
  };
}

/** `start <= day` and (`end` empty or `day <= end`); ISO `YYYY-MM-DD` strings compare as dates. */
function within(day: string, start: string, end: string): boolean {
  return start !== '' && start <= day && (end === '' || day <= end);
}

/**
 * The `found[]` entry for `record` as of `day` (`YYYY-MM-DD`): `date_generale.data = day`;
 * `scpTVA` when a VAT period covers the day; `statusTvaIncasare` / `statusSplitTVA` when their
 * start..end covers it; `statusInactivi` when inactivated on or before the day and not reactivated
 * on or before it. A copy: the registry is not changed.
 */
export function taxpayerAsOf(record: AnafTaxpayerRecord, day: string): AnafTaxpayerRecord {
  const r = structuredClone(record);
  r.date_generale.data = day;
  r.inregistrare_scop_Tva.scpTVA = r.inregistrare_scop_Tva.perioade_TVA.some((p) => within(day, p.data_inceput_ScpTVA, p.data_sfarsit_ScpTVA));
  r.inregistrare_RTVAI.statusTvaIncasare = within(day, r.inregistrare_RTVAI.dataInceputTvaInc, r.inregistrare_RTVAI.dataSfarsitTvaInc);
  r.inregistrare_SplitTVA.statusSplitTVA = within(day, r.inregistrare_SplitTVA.dataInceputSplitTVA, r.inregistrare_SplitTVA.dataAnulareSplitTVA);
  const ia = r.stare_inactiv;
  const reactivated = ia.dataReactivare.trim();
  ia.statusInactivi = within(day, ia.dataInactivare.trim(), reactivated === '' ? '' : prevDay(reactivated));
  return r;
}

function prevDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Path of the shipped taxpayer fixture (`fixtures/taxpayers.json`, an array of {@link SimTaxpayerInput}). */
export const TAXPAYERS_FIXTURE_PATH = fileURLToPath(new URL('../fixtures/taxpayers.json', import.meta.url));

/**
 * Loads the shipped taxpayers fixture (demo tenant 41832096, suppliers, one inactive, one not
 * VAT-registered).
 * @throws RangeError when an entry has an invalid CUI (see {@link normaliseTaxpayer})
 */
export function defaultTaxpayers(): AnafTaxpayerRecord[] {
  const raw = JSON.parse(readFileSync(TAXPAYERS_FIXTURE_PATH, 'utf8')) as SimTaxpayerInput[];
  return raw.map(normaliseTaxpayer);
}
