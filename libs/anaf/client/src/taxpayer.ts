/**
 * Client of ANAF's public taxpayer lookup, `PlatitorTvaRest/v9/tva` (ANAF-EFACTURA.md "Taxpayer lookup (v9)"):
 * one call answers up to 100 CUIs, each "as of" a date, with the groups `date_generale`, `inregistrare_scop_Tva`,
 * `inregistrare_RTVAI`, `stare_inactiv`, `inregistrare_SplitTVA`, `adresa_sediu_social`, `adresa_domiciliu_fiscal`.
 * No OAuth (the endpoint is public). ANAF allows 1 call per second: pacing and caching are the caller's job
 * (`TaxpayerLookup` of `@cetate/invoicing-efactura` does both across processes).
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { CetateError } from '@cetate/shared-errors';
import { AnafError, AnafProtocolError, AnafRequestRejectedError, type AnafEndpoint } from './errors.js';
import { checkStatus, sendRaw } from './http.js';

/** Endpoint name of the taxpayer lookup in errors and spans. */
export const TAXPAYER_ENDPOINT: AnafEndpoint = 'PlatitorTvaRest';

/** ANAF's production URL of the v9 lookup. */
export const ANAF_TAXPAYER_URL = 'https://webservicesp.anaf.ro/api/PlatitorTvaRest/v9/tva';

/** At most this many CUIs per call (ANAF-EFACTURA.md "Taxpayer lookup (v9)"). */
export const TAXPAYER_MAX_CUIS_PER_CALL = 100;

/** One entry of a lookup: the CUI (digits, an `RO` prefix is stripped) and the day (`YYYY-MM-DD`) the state is asked for. */
export interface TaxpayerRequest {
  cui: string;
  date: string;
}

/** An address group (`adresa_sediu_social` with prefix `s`, `adresa_domiciliu_fiscal` with prefix `d`); empty strings become null. */
export interface TaxpayerAddress {
  /** `*denumire_Strada` */
  street: string | null;
  /** `*numar_Strada` */
  number: string | null;
  /** `*denumire_Localitate`, e.g. `Mun. Cluj-Napoca`, `Sector 1 Mun. Bucureşti`. */
  locality: string | null;
  /** `*cod_Localitate` (SIRUTA-like code as ANAF sends it). */
  localityCode: string | null;
  /** `*denumire_Judet`, e.g. `CLUJ`, `MUNICIPIUL BUCUREŞTI`. */
  county: string | null;
  /** `*cod_Judet` (ANAF's numeric county code). */
  countyCode: string | null;
  /** `*cod_JudetAuto`: the licence-plate code (`CJ`, `B`), equal to the ISO 3166-2:RO suffix. */
  countyAutoCode: string | null;
  /** `*cod_Postal` */
  postalCode: string | null;
  /** `*detalii_Adresa` (block, floor, ...). */
  details: string | null;
  /** `*tara` */
  country: string | null;
}

/** One period of VAT registration (`inregistrare_scop_Tva.perioade_TVA[]`); dates `YYYY-MM-DD` or null. */
export interface TaxpayerVatPeriod {
  /** `data_inceput_ScpTVA` */
  from: string | null;
  /** `data_sfarsit_ScpTVA` */
  to: string | null;
  /** `data_anul_imp_ScpTVA` (registration annulled) */
  annulledOn: string | null;
  /** `mesaj_ScpTVA` */
  message: string | null;
}

/** The ANAF groups of one found taxpayer, exactly as sent. */
export interface TaxpayerRawGroups {
  date_generale?: Record<string, unknown>;
  inregistrare_scop_Tva?: Record<string, unknown>;
  inregistrare_RTVAI?: Record<string, unknown>;
  stare_inactiv?: Record<string, unknown>;
  inregistrare_SplitTVA?: Record<string, unknown>;
  adresa_sediu_social?: Record<string, unknown>;
  adresa_domiciliu_fiscal?: Record<string, unknown>;
  [group: string]: unknown;
}

/**
 * A taxpayer as ANAF's v9 lookup describes it on `date` (JSON-serialisable: it is cached as JSON). Strings empty at
 * ANAF are null here; booleans missing at ANAF are false.
 */
export interface Taxpayer {
  /** `date_generale.cui` as digits. */
  cui: string;
  /** `date_generale.data`: the day the answer describes (`YYYY-MM-DD`). */
  date: string;
  /** `date_generale.denumire` */
  name: string;
  /** `date_generale.adresa`: the address as one text. */
  address: string | null;
  /** `adresa_sediu_social` (registered office). */
  registeredOffice: TaxpayerAddress | null;
  /** `adresa_domiciliu_fiscal` (fiscal domicile). */
  fiscalDomicile: TaxpayerAddress | null;
  /** `date_generale.nrRegCom`: trade register number, e.g. `J40/1234/2020`. */
  nrRegCom: string | null;
  /** `date_generale.telefon` */
  phone: string | null;
  /** `date_generale.codPostal` */
  postalCode: string | null;
  /** `date_generale.stare_inregistrare`, e.g. `INREGISTRAT din data 18.11.2019`. */
  registrationState: string | null;
  /** `date_generale.data_inregistrare` */
  registrationDate: string | null;
  /** `date_generale.cod_CAEN` */
  caen: string | null;
  /** `date_generale.iban` */
  iban: string | null;
  /** `inregistrare_scop_Tva.scpTVA`: registered for VAT on `date`. */
  vatRegistered: boolean;
  /** `inregistrare_scop_Tva.perioade_TVA` */
  vatPeriods: TaxpayerVatPeriod[];
  /** `inregistrare_RTVAI.statusTvaIncasare`: VAT on cash basis (RTVAI) on `date`. */
  vatOnCash: boolean;
  /** `stare_inactiv.statusInactivi`: declared inactive on `date`. */
  inactive: boolean;
  /** `stare_inactiv.dataInactivare` */
  inactiveSince: string | null;
  /** `stare_inactiv.dataRadiere` (struck off) */
  deregisteredOn: string | null;
  /** `inregistrare_SplitTVA.statusSplitTVA`: split VAT payment. */
  splitVat: boolean;
  /** `date_generale.statusRO_e_Factura`: in the RO e-Factura register. */
  eFacturaRegistered: boolean;
  /** The groups as ANAF sent them, so nothing is lost. */
  raw: TaxpayerRawGroups;
}

/** The parsed answer of one call: `notFound` holds the CUIs (digits) ANAF does not know. */
export interface TaxpayerLookupAnswer {
  found: Taxpayer[];
  notFound: string[];
}

/**
 * A lookup request that is wrong before any call (code `TAXPAYER_REQUEST_INVALID`, HTTP 400 if it escapes an API):
 * more than {@link TAXPAYER_MAX_CUIS_PER_CALL} CUIs, none, a CUI that is not 1..10 digits, a date not `YYYY-MM-DD`.
 */
export class TaxpayerRequestError extends CetateError {
  declare readonly code: 'TAXPAYER_REQUEST_INVALID';
  constructor(message: string) {
    super('TAXPAYER_REQUEST_INVALID', message, { status: 400 });
  }
}

/** Options of {@link TaxpayerClient}. */
export interface TaxpayerClientOptions {
  /** Full URL of the v9 endpoint; default {@link ANAF_TAXPAYER_URL}. The simulator: `<sim.url>/api/PlatitorTvaRest/v9/tva`. */
  url?: string;
  /** Per-call timeout covering headers and body, ms (default 15000). */
  timeoutMs?: number;
}

const TRACER = '@cetate/anaf-client';
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** `RO 123` / ` 123 ` -> `123`; @throws TaxpayerRequestError unless 1..10 digits remain. */
export function taxpayerCuiDigits(cui: string | number): string {
  const digits = String(cui).trim().replace(/^RO\s*/i, '');
  if (!/^\d{1,10}$/.test(digits)) throw new TaxpayerRequestError(`CUI ${JSON.stringify(cui)} is not 1 to 10 digits (an RO prefix is allowed)`);
  return digits.replace(/^0+(?=\d)/, '');
}

/**
 * One call to ANAF's taxpayer lookup v9 per {@link lookup}. No retries, no pacing: ANAF allows 1 call per second
 * (ANAF-EFACTURA.md "Taxpayer lookup (v9)"); the caller paces and retries (429 is `retryable`).
 */
export class TaxpayerClient {
  readonly url: string;
  private readonly timeoutMs: number;

  constructor(opts: TaxpayerClientOptions = {}) {
    this.url = opts.url ?? ANAF_TAXPAYER_URL;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  /**
   * Asks ANAF about up to 100 CUIs in one `POST` with body `[{"cui": <number>, "data": "YYYY-MM-DD"}]`.
   * @param requests 1..100 entries; CUIs may carry `RO`, they are sent as numbers.
   * @returns `found` parsed into {@link Taxpayer} (groups kept in `raw`), `notFound` as digit strings.
   * @throws TaxpayerRequestError before any call (0 or > 100 entries, bad CUI or date);
   *   AnafHttpError (429 and 5xx `retryable`; other statuses not), AnafQuotaExceededError (204),
   *   AnafTimeoutError / AnafNetworkError (retryable), AnafProtocolError (not JSON, e.g. the firewall's HTML
   *   "Request Rejected" page with 200 — ANAF-EFACTURA.md "Limits" — or JSON without `found`/`notFound`),
   *   AnafRequestRejectedError (ANAF's own error form: `cod` other than 200 with its `message`).
   */
  async lookup(requests: TaxpayerRequest[]): Promise<TaxpayerLookupAnswer> {
    if (requests.length === 0) throw new TaxpayerRequestError('a taxpayer lookup needs at least one CUI');
    if (requests.length > TAXPAYER_MAX_CUIS_PER_CALL) {
      throw new TaxpayerRequestError(`a taxpayer lookup takes at most ${TAXPAYER_MAX_CUIS_PER_CALL} CUIs per call (got ${requests.length}): split it`);
    }
    const body = requests.map((r) => {
      if (!DATE_RE.test(r.date)) throw new TaxpayerRequestError(`date ${JSON.stringify(r.date)} is not YYYY-MM-DD`);
      return { cui: Number(taxpayerCuiDigits(r.cui)), data: r.date };
    });
    const tracer = trace.getTracer(TRACER);
    return tracer.startActiveSpan(`anaf.${TAXPAYER_ENDPOINT}`, { attributes: { 'anaf.endpoint': TAXPAYER_ENDPOINT, 'anaf.cuis': body.length } }, async (span) => {
      try {
        const ans = await sendRaw({
          endpoint: TAXPAYER_ENDPOINT,
          method: 'POST',
          url: this.url,
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(body),
          timeoutMs: this.timeoutMs,
          outcomeUnknownOnLoss: false,
        });
        span.setAttribute('http.response.status_code', ans.status);
        checkStatus(TAXPAYER_ENDPOINT, ans, false);
        const out = parseTaxpayerAnswer(ans.contentType, ans.text());
        span.setAttributes({ 'anaf.found': out.found.length, 'anaf.not_found': out.notFound.length });
        span.setStatus({ code: SpanStatusCode.OK });
        return out;
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        if (err instanceof AnafError) span.setAttribute('error.type', err.code);
        throw err;
      } finally {
        span.end();
      }
    });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string field, trimmed; empty, missing or non-scalar -> null (numbers become their text). */
function str(o: Record<string, unknown> | undefined, key: string): string | null {
  const v = o?.[key];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** A boolean field: `true`/`"true"`/`"DA"` -> true, everything else false. */
function bool(o: Record<string, unknown> | undefined, key: string): boolean {
  const v = o?.[key];
  return v === true || (typeof v === 'string' && /^(true|da)$/i.test(v.trim()));
}

function group(entry: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const g = entry[name];
  return isObject(g) ? g : undefined;
}

function address(g: Record<string, unknown> | undefined, p: 's' | 'd'): TaxpayerAddress | null {
  if (!g) return null;
  return {
    street: str(g, `${p}denumire_Strada`),
    number: str(g, `${p}numar_Strada`),
    locality: str(g, `${p}denumire_Localitate`),
    localityCode: str(g, `${p}cod_Localitate`),
    county: str(g, `${p}denumire_Judet`),
    countyCode: str(g, `${p}cod_Judet`),
    countyAutoCode: str(g, `${p}cod_JudetAuto`),
    postalCode: str(g, `${p}cod_Postal`),
    details: str(g, `${p}detalii_Adresa`),
    country: str(g, `${p}tara`),
  };
}

/**
 * Parses one `found[]` entry of the v9 answer into a {@link Taxpayer}.
 * @throws AnafProtocolError when the entry has no `date_generale` with a numeric `cui` and a `denumire`.
 */
export function parseTaxpayer(entry: unknown): Taxpayer {
  if (!isObject(entry)) throw new AnafProtocolError(TAXPAYER_ENDPOINT, 'found[] entry is not an object');
  const gen = group(entry, 'date_generale');
  const cuiText = str(gen, 'cui');
  const name = str(gen, 'denumire');
  if (!gen || !cuiText || !/^\d{1,10}$/.test(cuiText) || name === null) {
    throw new AnafProtocolError(TAXPAYER_ENDPOINT, 'found[] entry without date_generale.cui (digits) and denumire', JSON.stringify(entry).slice(0, 500));
  }
  const tva = group(entry, 'inregistrare_scop_Tva');
  const rtvai = group(entry, 'inregistrare_RTVAI');
  const inactiv = group(entry, 'stare_inactiv');
  const split = group(entry, 'inregistrare_SplitTVA');
  const periods = Array.isArray(tva?.['perioade_TVA']) ? (tva['perioade_TVA'] as unknown[]).filter(isObject) : [];
  return {
    cui: cuiText.replace(/^0+(?=\d)/, ''),
    date: str(gen, 'data') ?? '',
    name,
    address: str(gen, 'adresa'),
    registeredOffice: address(group(entry, 'adresa_sediu_social'), 's'),
    fiscalDomicile: address(group(entry, 'adresa_domiciliu_fiscal'), 'd'),
    nrRegCom: str(gen, 'nrRegCom'),
    phone: str(gen, 'telefon'),
    postalCode: str(gen, 'codPostal'),
    registrationState: str(gen, 'stare_inregistrare'),
    registrationDate: str(gen, 'data_inregistrare'),
    caen: str(gen, 'cod_CAEN'),
    iban: str(gen, 'iban'),
    vatRegistered: bool(tva, 'scpTVA'),
    vatPeriods: periods.map((p) => ({
      from: str(p, 'data_inceput_ScpTVA'),
      to: str(p, 'data_sfarsit_ScpTVA'),
      annulledOn: str(p, 'data_anul_imp_ScpTVA'),
      message: str(p, 'mesaj_ScpTVA'),
    })),
    vatOnCash: bool(rtvai, 'statusTvaIncasare'),
    inactive: bool(inactiv, 'statusInactivi'),
    inactiveSince: str(inactiv, 'dataInactivare'),
    deregisteredOn: str(inactiv, 'dataRadiere'),
    splitVat: bool(split, 'statusSplitTVA'),
    eFacturaRegistered: bool(gen, 'statusRO_e_Factura'),
    raw: entry as TaxpayerRawGroups,
  };
}

/** A `notFound[]` entry: a number, a digit string, or an object with `cui`. */
function notFoundCui(v: unknown): string {
  const c = isObject(v) ? v['cui'] : v;
  const text = typeof c === 'number' || typeof c === 'string' ? String(c).trim() : '';
  if (!/^\d{1,10}$/.test(text)) throw new AnafProtocolError(TAXPAYER_ENDPOINT, `notFound[] entry ${JSON.stringify(v)} is not a CUI`);
  return text.replace(/^0+(?=\d)/, '');
}

/**
 * Parses the body of a v9 answer after checking its content type and root (ANAF-EFACTURA.md "Limits": the firewall
 * may answer an HTML page with 200). JSON is accepted as `application/json`, `*+json` or `text/plain`.
 * @returns the answer; `{"cod":200,"message":"SUCCESS","found":[...],"notFound":[...]}` is the normal form.
 * @throws AnafProtocolError (HTML, another content type, unparseable JSON, no `found`/`notFound` arrays, a bad
 *   entry); AnafRequestRejectedError when ANAF answers its error form (`cod` ≠ 200 with a `message`, no arrays).
 */
export function parseTaxpayerAnswer(contentType: string, text: string): TaxpayerLookupAnswer {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const head = text.trimStart().slice(0, 200);
  if (type === 'text/html' || head.startsWith('<')) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    throw new AnafProtocolError(TAXPAYER_ENDPOINT, `HTML answer instead of JSON${title ? ` ("${title}")` : ''}: ANAF's firewall refused the request`, text.slice(0, 500));
  }
  if (type && type !== 'application/json' && !type.endsWith('+json') && type !== 'text/plain') {
    throw new AnafProtocolError(TAXPAYER_ENDPOINT, `unexpected content type ${JSON.stringify(contentType)}`, text.slice(0, 500));
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw new AnafProtocolError(TAXPAYER_ENDPOINT, text.trim() ? 'answer is not JSON' : 'empty answer', text.slice(0, 500));
  }
  if (!isObject(root)) throw new AnafProtocolError(TAXPAYER_ENDPOINT, 'answer root is not a JSON object', text.slice(0, 500));
  const { found, notFound, cod, message } = root;
  if (!Array.isArray(found) || !Array.isArray(notFound)) {
    if (cod !== undefined && Number(cod) !== 200) {
      throw new AnafRequestRejectedError(TAXPAYER_ENDPOINT, [`cod ${String(cod)}: ${typeof message === 'string' ? message : JSON.stringify(message ?? '')}`]);
    }
    throw new AnafProtocolError(TAXPAYER_ENDPOINT, 'answer without found[] and notFound[]', text.slice(0, 500));
  }
  return { found: found.map(parseTaxpayer), notFound: notFound.map(notFoundCui) };
}
