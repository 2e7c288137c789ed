import { randomBytes, randomUUID } from 'node:crypto';
import type { XDocument as Document } from '@cetate/invoicing-domain';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import yazl from 'yazl';
import { z } from 'zod';
import { buildCiusRoUbl, computeTotals, NS_INVOICE, parseXmlDocument, toParsedUblDocument, validateParsedUbl } from '@cetate/invoicing-domain';
import {
  errorReportXml,
  springError,
  stareErrorXml,
  stareXml,
  uploadErrorXml,
  uploadOkXml,
} from './answers.js';
import { invoiceFacts, type InvoiceFacts } from './invoice-facts.js';
import { raspXml, readRasp, TIP_MESAJ_PRIMIT, TIP_MESAJ_TRANSMIS, type RaspMessage } from './rasp.js';
import { seedInvoiceDocument, seedSellers } from './seed.js';
import { defaultTaxpayers, normaliseTaxpayer, taxpayerAsOf, type AnafTaxpayerRecord, type SimTaxpayerInput } from './taxpayers.js';
import { defaultSigningMaterial, signDetached, type SigningMaterial } from './signing.js';
import { anafTimestamp, bucharestDay } from './time.js';
import {
  faultProblem,
  type Fault,
  type FaultControl,
  type FaultEndpoint,
  type FaultKind,
  type BuyerMessageInput,
  type OAuthStats,
  type SeededInvoice,
  type SeedInboxOptions,
  type SimLimits,
  type SimMessage,
  type SimValidator,
  type TaxpayerCall,
} from './types.js';

/** Options of {@link startAnafSimulator}. */
export interface AnafSimulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Bind address (default `127.0.0.1`). */
  host?: string;
  /** Milliseconds between upload and the final stareMesaj state (default 1500). */
  processingDelayMs?: number;
  /**
   * Validator of uploaded UBL/CN documents. Default: `validateParsedUbl` of `@cetate/invoicing-domain`
   * (EN 16931 + CIUS-RO rules) on the document the simulator parsed. Fatal findings → `nok` with an
   * error report.
   */
  validate?: SimValidator;
  /** Overrides of the daily limits and sizes (defaults: ANAF-EFACTURA.md "Limits"). */
  limits?: Partial<SimLimits>;
  /** PEM private key signing downloads (default: shipped fixture). */
  signingKey?: string;
  /** PEM certificate matching `signingKey` (default: shipped fixture). */
  signingCert?: string;
  /** If set, only these OAuth clients may get tokens; otherwise any non-empty id/secret pair is accepted. */
  oauthClients?: { clientId: string; clientSecret: string }[];
  /** Lifetime of access tokens in seconds (default 7776000 = 90 days, like ANAF). */
  accessTokenTtlSeconds?: number;
  /** Lifetime of refresh tokens in seconds (default 31536000 = 365 days), counted from the authorisation (code grant). */
  refreshTokenTtlSeconds?: number;
  /**
   * Expiry of the refresh token a refresh returns: `original` (default) keeps the expiry of the
   * authorisation it descends from (the holder must log in again 365 days after the code grant);
   * `renewed` gives it a fresh `refreshTokenTtlSeconds`. ANAF's rule is not published: assumed, see README.
   */
  rotatedRefreshTokenExpiry?: 'original' | 'renewed';
  /** Taxpayers of `PlatitorTvaRest/v9/tva` (default: `fixtures/taxpayers.json`). */
  taxpayers?: SimTaxpayerInput[];
  /** Clock (epoch ms); tests move it to cross the Europe/Bucharest day boundary. Default `Date.now`. Also `setNow`/`setClockOffsetMs`. */
  now?: () => number;
}

/** A running simulator. */
export interface AnafSimulator {
  /** Base URL, e.g. `http://127.0.0.1:8095` (API under `/test/FCTEL/rest`, `/prod/FCTEL/rest`). */
  url: string;
  /** Stops listening and drops hanging connections. */
  close(): Promise<void>;
  /** Uploads recorded for seller CIF (with or without `RO`) + BT-1 invoice number. */
  uploadsFor(cif: string, invoiceNumber: string): number;
  /** Injected faults. */
  faults: FaultControl;
  /** Changes the processing delay of later uploads. */
  setProcessingDelayMs(ms: number): void;
  /** All messages produced so far (both environments). */
  messages(): SimMessage[];
  /** Mints a valid access token without the OAuth dance (test helper). */
  issueAccessToken(clientId?: string): Promise<string>;
  /** PEM certificate the downloads are signed with. */
  certificatePem: string;
  /** The simulator's current time, epoch ms (base clock + offset). */
  now(): number;
  /** Replaces the base clock (the offset of {@link setClockOffsetMs} still applies). */
  setNow(clock: () => number): void;
  /** Moves the clock by `offsetMs` from the base clock (e.g. 335 days ahead); also `POST /__sim/clock {offsetMs}`. */
  setClockOffsetMs(offsetMs: number): void;
  /**
   * Creates a buyer message (as an accepted `upload?standard=RASP` by `fromCif` would) at once:
   * `MESAJ CUMPARATOR TRANSMIS` for `fromCif`, `MESAJ CUMPARATOR PRIMIT` for `toCif` (filter `R`),
   * both with `id_solicitare` = the new RASP upload index and the same download id; the download
   * ZIP holds the RASP XML (`mfp:anaf:dgti:spv:reqMesaj:v1`) and its signature. The invoice
   * `idSolicitare` need not exist. Also `POST /__sim/buyer-messages`.
   * @throws RangeError when a CIF or `idSolicitare` is not digits or `text` is empty
   */
  addBuyerMessage(input: BuyerMessageInput): { idSolicitare: string; idDescarcare: string };
  /**
   * Seeds `count` accepted supplier invoices to `buyerCif` (real CIUS-RO UBL built by
   * `buildCiusRoUbl`, 1–3 lines at 21 %/11 %, not validated again), each with an upload index, a
   * download id, `FACTURA TRIMISA` for the seller and `FACTURA PRIMITA` for the buyer, and a signed
   * ZIP built at the first download. Also `POST /__sim/inbox`.
   * @throws RangeError on a bad option (non-digit CIF, count outside 1..100,000, bad `daysAgo`)
   */
  seedInbox(options: SeedInboxOptions): SeededInvoice[];
  /** Every API call with this CIF (upload, lists, descarcare of its messages) answers HTTP 403 until allowed again. */
  forbidCif(cif: string): void;
  /** Undoes {@link forbidCif} for one CIF. */
  allowCif(cif: string): void;
  /** Undoes every {@link forbidCif}. */
  clearForbiddenCifs(): void;
  /** OAuth counters since start ({@link OAuthStats}). */
  oauthStats(): OAuthStats;
  /** Calls of `PlatitorTvaRest/v9/tva` received so far, oldest first. */
  taxpayerCalls(): TaxpayerCall[];
  /**
   * Adds (or replaces, by CUI) a taxpayer of the lookup; missing fields are empty/false.
   * @throws RangeError when the CUI has no valid check digit or `denumire` is empty
   */
  addTaxpayer(input: SimTaxpayerInput): AnafTaxpayerRecord;
}

const DEFAULT_LIMITS: SimLimits = {
  stareMesajPerIndex: 100,
  descarcarePerId: 10,
  listaMesajePerCif: 1500,
  listaPaginatiePerCif: 100_000,
  maxUploadBytes: 10 * 1024 * 1024,
  pageSize: 500,
  listaMaxMessages: 500,
  messageRetentionDays: 60,
  taxpayerCuisPerCall: 100,
  taxpayerMinIntervalMs: 1000,
};

type Env = 'test' | 'prod';
type FinalStare = 'ok' | 'nok' | 'XML cu erori nepreluat de sistem';

interface Outcome {
  stare: FinalStare;
  idDescarcare?: string;
  /** `errorMessage` lines of the error report (nok only). */
  errors: string[];
  facts?: InvoiceFacts;
}

interface UploadRec {
  index: string;
  env: Env;
  cif: string;
  standard: string;
  b2c: boolean;
  extern: boolean;
  /** The uploaded bytes; seeded invoices have `buildXml` instead (built at the first download). */
  xml?: Buffer;
  buildXml?: () => Buffer;
  /** The upload parsed once (strict XML); `undefined` when not well-formed, dropped once processed. */
  document?: Document;
  /** Facts read from `document` at upload time (`undefined` when not well-formed). */
  facts?: InvoiceFacts;
  receivedAtMs: number;
  processAtMs: number;
  outcome: Promise<Outcome>;
  zip?: Promise<Buffer>;
}

const API_RE = /^\/(test|prod)\/FCTEL\/rest\/(upload|uploadb2c|stareMesaj|listaMesajeFactura|listaMesajePaginatieFactura|descarcare)\/?$/;
const VALIDARE_RE = /^\/(test|prod)\/FCTEL\/rest\/validare\/(FACT1|FCN)\/?$/;
const OAUTH_RE = /^\/anaf-oauth2\/v1\/(authorize|token|revoke)\/?$/;
const TAXPAYER_RE = /^\/api\/PlatitorTvaRest\/v9\/tva\/?$/;
const DAY_MS = 86_400_000;

const buyerMessageSchema = z.object({
  fromCif: z.string(),
  toCif: z.string(),
  idSolicitare: z.string(),
  text: z.string(),
  env: z.enum(['test', 'prod']).optional(),
});

const seedSchema = z.object({
  buyerCif: z.string(),
  count: z.number().int(),
  env: z.enum(['test', 'prod']).optional(),
  sellers: z.number().int().optional(),
  startNumber: z.number().int().optional(),
  daysAgo: z.tuple([z.number(), z.number()]).optional(),
});

const faultSchema = z
  .object({
    endpoint: z.enum(['upload', 'stareMesaj', 'descarcare', 'lista', 'token']),
    kind: z.enum(['timeout-before-accept', 'timeout-after-accept', 'http500', 'over-limit', 'stuck', 'http204', 'http429']),
    times: z.number().int().positive().optional(),
  })
  .superRefine((f, ctx) => {
    const problem = faultProblem(f);
    if (problem) ctx.addIssue({ code: 'custom', path: ['kind'], message: problem });
  });

/** EN 16931 + CIUS-RO validation of the document the simulator already parsed (no second parse). */
const defaultValidator: SimValidator = (_xml, document) => validateParsedUbl(toParsedUblDocument(document));

/** ANAF's error line for a failed business rule; drops a validator's own `[RULE]-` prefix. */
function errorLine(ruleId: string, message: string): string {
  return `E: validari globale eroare regula: ${ruleId}, ${message.replace(/^\[[^\]]+\]\s*-?\s*/, '')}`;
}

function digits(s: string | null | undefined): string {
  const m = /^(?:RO)?(\d+)$/i.exec((s ?? '').trim());
  return m ? m[1]! : (s ?? '').trim();
}

/** Builds a ZIP holding the given files (names in order). */
function zipFiles(files: { name: string; content: Buffer }[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const f of files) zip.addBuffer(f.content, f.name, { mtime: new Date() });
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
    zip.end();
  });
}

/**
 * Starts the ANAF e-Factura simulator: ANAF's URL layout (`/{test|prod}/FCTEL/rest/...`), OAuth at
 * `/anaf-oauth2/v1/...`, and test controls at `/__sim/...`. State lives in memory only.
 * Follows ANAF-EFACTURA.md (answer shapes, quirks, daily limits per Europe/Bucharest day).
 * @throws Error when the port cannot be bound.
 */
export async function startAnafSimulator(opts: AnafSimulatorOptions = {}): Promise<AnafSimulator> {
  let baseNow = opts.now ?? Date.now;
  let clockOffsetMs = 0;
  const now = () => baseNow() + clockOffsetMs;
  const limits: SimLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  let processingDelayMs = opts.processingDelayMs ?? 1500;
  const validate = opts.validate ?? defaultValidator;
  const material: SigningMaterial =
    opts.signingKey && opts.signingCert
      ? { privateKeyPem: opts.signingKey, certificatePem: opts.signingCert }
      : defaultSigningMaterial();
  const accessTtl = opts.accessTokenTtlSeconds ?? 7_776_000;
  const refreshTtl = opts.refreshTokenTtlSeconds ?? 31_536_000;
  const jwtSecret = randomBytes(32);

  // ---- state (in memory) ----
  // ANAF's index_incarcare / id_descarcare are unique forever; the simulator keeps no state across
  // restarts, so it starts its counters from the clock (10 ids per ms of uptime headroom) instead of a
  // constant: a restarted simulator never hands out an id a client already stored.
  const idBase = Math.floor(now() / 100) % 1_000_000_000_000;
  let nextIndex = 5_000_000_000_000 + idBase;
  let nextDownload = 3_000_000_000_000 + idBase;
  const uploads = new Map<string, UploadRec>();
  const downloads = new Map<string, string>(); // id_descarcare -> index
  let messages: SimMessage[] = [];
  const downloadCifs = new Map<string, Set<string>>(); // id_descarcare -> CIFs of its messages
  const forbidden = new Set<string>();
  const oauth: OAuthStats = { codeGrants: 0, refreshGrants: 0, refusedReusedRefreshTokens: 0, refusedExpiredRefreshTokens: 0, unauthorizedApiCalls: 0 };
  const usedRefreshTokens = new Set<string>();
  const rotatedExpiry = opts.rotatedRefreshTokenExpiry ?? 'original';
  const taxpayers = new Map<string, AnafTaxpayerRecord>();
  for (const t of opts.taxpayers ? opts.taxpayers.map(normaliseTaxpayer) : defaultTaxpayers()) taxpayers.set(String(t.date_generale.cui), t);
  const taxpayerCallLog: TaxpayerCall[] = [];
  const lastTaxpayerCall = new Map<string, number>();
  let nextSeedNumber = 1;
  const uploadCounts = new Map<string, number>();
  const counters = new Map<string, number>();
  const armed: Required<Fault>[] = [];
  const codes = new Map<string, { clientId: string; redirectUri: string; jwt: boolean; expiresAt: number }>();
  const refreshTokens = new Map<string, { clientId: string; jwt: boolean; expiresAt: number }>();
  const accessTokens = new Map<string, { clientId: string; expiresAt: number }>();
  const hanging = new Set<ServerResponse>();

  const faults: FaultControl = {
    add(f) {
      const problem = faultProblem(f);
      if (problem) throw new RangeError(problem);
      armed.push({ endpoint: f.endpoint, kind: f.kind, times: f.times ?? 1 });
    },
    clear() {
      armed.length = 0;
    },
    list() {
      return armed.map((f) => ({ ...f }));
    },
  };

  function takeFault(endpoint: FaultEndpoint): FaultKind | undefined {
    const i = armed.findIndex((f) => f.endpoint === endpoint);
    if (i < 0) return undefined;
    const f = armed[i]!;
    f.times -= 1;
    if (f.times <= 0) armed.splice(i, 1);
    return f.kind;
  }

  /** Daily counter; returns false (without counting) when `limit` is already reached today. */
  function takeQuota(endpoint: string, key: string, limit: number): boolean {
    const k = `${endpoint}|${key}|${bucharestDay(now())}`;
    const n = counters.get(k) ?? 0;
    if (n >= limit) return false;
    counters.set(k, n + 1);
    return true;
  }

  // ---- processing ----
  /** Records a message and which CIFs its download id belongs to (for 403 on descarcare). */
  function pushMessage(m: SimMessage): void {
    messages.push(m);
    let cifs = downloadCifs.get(m.id);
    if (!cifs) downloadCifs.set(m.id, (cifs = new Set()));
    cifs.add(m.cif);
  }

  /** Bytes of `<index>.xml` for an accepted upload (seeded invoices are built here, once). */
  function xmlOf(rec: UploadRec): Buffer {
    if (!rec.xml && rec.buildXml) {
      rec.xml = rec.buildXml();
      rec.buildXml = undefined;
    }
    return rec.xml ?? Buffer.alloc(0);
  }

  /**
   * Buyer message accepted: `MESAJ CUMPARATOR TRANSMIS` for the buyer who sent it (`rec.cif`) and
   * `MESAJ CUMPARATOR PRIMIT` for the seller, same id_solicitare (the RASP upload index) and download id.
   */
  function recordBuyerMessage(rec: UploadRec, m: RaspMessage, sellerCif: string, idDescarcare: string): void {
    const data_creare = anafTimestamp(rec.processAtMs);
    const detalii = `Mesaj cumparator cu id_incarcare=${rec.index} pentru factura cu id_incarcare=${m.indexIncarcare} emisa de cif_emitent=${sellerCif} pentru cif_beneficiar=${rec.cif}`;
    const base = { data_creare, id_solicitare: rec.index, id: idDescarcare, detalii, createdAtMs: rec.processAtMs, env: rec.env };
    pushMessage({ ...base, cif: rec.cif, tip: TIP_MESAJ_TRANSMIS });
    if (sellerCif !== rec.cif) pushMessage({ ...base, cif: sellerCif, tip: TIP_MESAJ_PRIMIT });
  }

  /**
   * RASP upload: the message must reference an accepted invoice (`index_incarcare`) whose buyer is
   * the uploading CIF; else `nok` with the reason. (ANAF's exact checks are not published: assumed.)
   */
  async function processRasp(rec: UploadRec, document: Document): Promise<{ errors: string[]; rasp?: RaspMessage; sellerCif?: string }> {
    const r = readRasp(document);
    if (typeof r === 'string') return { errors: [r] };
    const target = uploads.get(r.indexIncarcare);
    const outcome = target && target.env === rec.env && target.processAtMs <= rec.processAtMs ? await target.outcome : undefined;
    if (!target || outcome?.stare !== 'ok' || outcome.facts?.buyerCif !== rec.cif || target.standard === 'RASP') {
      return { errors: [`E: nu exista factura acceptata cu id_incarcare=${r.indexIncarcare} pentru cif_beneficiar=${rec.cif}`] };
    }
    return { errors: [], rasp: r, sellerCif: target.cif };
  }

  async function process(rec: UploadRec): Promise<Outcome> {
    try {
      return await processParsed(rec);
    } finally {
      rec.document = undefined; // the DOM is not needed after validation
    }
  }

  async function processParsed(rec: UploadRec): Promise<Outcome> {
    const { document, facts } = rec;
    if (!document || !facts) return { stare: 'XML cu erori nepreluat de sistem', errors: [] };
    const errors: string[] = [];
    const expectedRoot = rec.standard === 'CN' ? 'CreditNote' : rec.standard === 'UBL' ? 'Invoice' : null;
    let rasp: Awaited<ReturnType<typeof processRasp>> | undefined;
    if (rec.standard === 'RASP') {
      rasp = await processRasp(rec, document);
      errors.push(...rasp.errors);
    } else if (expectedRoot && facts.rootName !== expectedRoot) {
      errors.push(`E: eroare schema: documentul ${facts.rootName} nu corespunde standardului ${rec.standard} (asteptat ${expectedRoot})`);
    } else if (expectedRoot) {
      try {
        const r = await validate(xmlOf(rec), document);
        const reported = r.messages.filter((m) => m.flag !== 'warning');
        for (const m of reported) errors.push(errorLine(m.ruleId, m.message));
        if (errors.length === 0 && (!r.valid || r.fatal.length > 0)) {
          for (const f of r.fatal.length ? r.fatal : ['document invalid']) errors.push(`E: validari globale eroare: ${f}`);
        }
      } catch (err) {
        errors.push(`E: eroare schema: ${(err as Error).message}`);
      }
    }
    const idDescarcare = String(nextDownload++);
    downloads.set(idDescarcare, rec.index);
    const createdAtMs = rec.processAtMs;
    const data_creare = anafTimestamp(createdAtMs);
    const buyer = facts.buyerCif ?? '';
    if (errors.length > 0) {
      pushMessage({
        data_creare, cif: rec.cif, id_solicitare: rec.index, id: idDescarcare, tip: 'ERORI FACTURA',
        detalii: `Erori de validare identificate la factura primita cu id_incarcare=${rec.index}`, createdAtMs, env: rec.env,
      });
      return { stare: 'nok', idDescarcare, errors, facts };
    }
    if (rasp?.rasp && rasp.sellerCif) {
      recordBuyerMessage(rec, rasp.rasp, rasp.sellerCif, idDescarcare);
      return { stare: 'ok', idDescarcare, errors: [], facts };
    }
    const detalii = `Factura cu id_incarcare=${rec.index} emisa de cif_emitent=${rec.cif} pentru cif_beneficiar=${buyer}`;
    pushMessage({ data_creare, cif: rec.cif, id_solicitare: rec.index, id: idDescarcare, tip: 'FACTURA TRIMISA', detalii, createdAtMs, env: rec.env });
    const buyerRo = facts.buyerCountry === 'RO' && /^\d{2,10}$/.test(buyer) && !rec.extern && !rec.b2c;
    if (buyerRo) {
      pushMessage({ data_creare, cif: buyer, id_solicitare: rec.index, id: idDescarcare, tip: 'FACTURA PRIMITA', detalii, createdAtMs, env: rec.env });
    }
    return { stare: 'ok', idDescarcare, errors: [], facts };
  }

  /**
   * ANAF keeps messages 60 days (`limits.messageRetentionDays`): drops older messages, their uploads
   * and download ids, so they are neither listed nor downloadable, and their memory is freed.
   */
  function purgeExpired(): void {
    const cutoff = now() - limits.messageRetentionDays * DAY_MS;
    if (!messages.some((m) => m.createdAtMs < cutoff)) return;
    const gone = new Set<string>();
    messages = messages.filter((m) => {
      if (m.createdAtMs >= cutoff) return true;
      gone.add(m.id);
      return false;
    });
    for (const id of gone) {
      const index = downloads.get(id);
      const rec = index ? uploads.get(index) : undefined;
      if (rec && rec.processAtMs < cutoff) uploads.delete(rec.index);
      downloads.delete(id);
      downloadCifs.delete(id);
    }
  }

  function messageFor(
    rec: Pick<UploadRec, 'index' | 'env'>,
    cif: string,
    tip: SimMessage['tip'],
    idDescarcare: string,
    createdAtMs: number,
    detalii: string,
  ): SimMessage {
    return { data_creare: anafTimestamp(createdAtMs), cif, id_solicitare: rec.index, detalii, tip, id: idDescarcare, createdAtMs, env: rec.env };
  }

  function seedInbox(o: SeedInboxOptions): SeededInvoice[] {
    const buyerCif = digits(o.buyerCif);
    const count = o.count;
    const sellerCount = o.sellers ?? 10;
    const [minDays, maxDays] = o.daysAgo ?? [0, 0];
    const env: Env = o.env ?? 'test';
    if (!/^\d{2,10}$/.test(buyerCif)) throw new RangeError(`buyerCif ${o.buyerCif} is not a CUI`);
    if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new RangeError(`count must be 1..100000, got ${count}`);
    if (!Number.isInteger(sellerCount) || sellerCount < 1) throw new RangeError(`sellers must be a positive integer, got ${sellerCount}`);
    if (!(minDays >= 0 && maxDays >= minDays)) throw new RangeError(`daysAgo must be [min, max] with 0 <= min <= max, got [${minDays}, ${maxDays}]`);
    if (env !== 'test' && env !== 'prod') throw new RangeError(`env must be test or prod, got ${String(env)}`);
    const start = o.startNumber ?? nextSeedNumber;
    nextSeedNumber = Math.max(nextSeedNumber, start + count);
    const sellers = seedSellers(sellerCount);
    const buyer = { cif: buyerCif, name: taxpayers.get(buyerCif)?.date_generale.denumire ?? `Cumparator ${buyerCif} SRL` };
    const t = now();
    const out: SeededInvoice[] = [];
    for (let i = 0; i < count; i++) {
      const seller = sellers[i % sellers.length]!;
      // oldest first: maxDays ago .. minDays ago, evenly spread
      const daysAgo = count === 1 ? minDays : maxDays - ((maxDays - minDays) * i) / (count - 1);
      const createdAtMs = Math.round(t - daysAgo * DAY_MS);
      const issueDate = bucharestDay(createdAtMs);
      const doc = seedInvoiceDocument(seller, buyer, start + i, issueDate);
      const totals = computeTotals(doc);
      const index = String(nextIndex++);
      const idDescarcare = String(nextDownload++);
      const facts: InvoiceFacts = { rootName: 'Invoice', rootNamespace: NS_INVOICE, invoiceNumber: doc.number, sellerCif: seller.cif, buyerCif, buyerCountry: 'RO' };
      const rec: UploadRec = {
        index, env, cif: seller.cif, standard: 'UBL', b2c: false, extern: false,
        buildXml: () => Buffer.from(buildCiusRoUbl(doc), 'utf8'),
        facts, receivedAtMs: createdAtMs, processAtMs: createdAtMs,
        outcome: Promise.resolve({ stare: 'ok', idDescarcare, errors: [], facts }),
      };
      uploads.set(index, rec);
      downloads.set(idDescarcare, index);
      const key = `${seller.cif}|${doc.number}`;
      uploadCounts.set(key, (uploadCounts.get(key) ?? 0) + 1);
      const detalii = `Factura cu id_incarcare=${index} emisa de cif_emitent=${seller.cif} pentru cif_beneficiar=${buyerCif}`;
      pushMessage(messageFor(rec, seller.cif, 'FACTURA TRIMISA', idDescarcare, createdAtMs, detalii));
      pushMessage(messageFor(rec, buyerCif, 'FACTURA PRIMITA', idDescarcare, createdAtMs, detalii));
      out.push({ idSolicitare: index, idDescarcare, sellerCif: seller.cif, number: doc.number, issueDate, currency: doc.currencyCode, payableAmount: totals.payableAmount, createdAtMs });
    }
    messages.sort((a, b) => a.createdAtMs - b.createdAtMs);
    return out;
  }

  function addBuyerMessage(input: BuyerMessageInput): { idSolicitare: string; idDescarcare: string } {
    const fromCif = digits(input.fromCif);
    const toCif = digits(input.toCif);
    const env: Env = input.env ?? 'test';
    if (!/^\d{2,13}$/.test(fromCif) || !/^\d{2,13}$/.test(toCif)) throw new RangeError('fromCif and toCif must be CIF digits');
    if (!/^\d+$/.test(input.idSolicitare)) throw new RangeError(`idSolicitare ${input.idSolicitare} is not a number`);
    if (!input.text || input.text.trim() === '') throw new RangeError('text is required');
    if (env !== 'test' && env !== 'prod') throw new RangeError(`env must be test or prod, got ${String(env)}`);
    const m: RaspMessage = { indexIncarcare: input.idSolicitare, message: input.text };
    const t = now();
    const index = String(nextIndex++);
    const idDescarcare = String(nextDownload++);
    const rec: UploadRec = {
      index, env, cif: fromCif, standard: 'RASP', b2c: false, extern: false, xml: Buffer.from(raspXml(m), 'utf8'),
      receivedAtMs: t, processAtMs: t, outcome: Promise.resolve({ stare: 'ok', idDescarcare, errors: [] }),
    };
    uploads.set(index, rec);
    downloads.set(idDescarcare, index);
    recordBuyerMessage(rec, m, toCif, idDescarcare);
    return { idSolicitare: index, idDescarcare };
  }

  /** Waits for every upload whose processing time has come, so lists see their messages. */
  async function settleDue(): Promise<void> {
    const t = now();
    await Promise.all([...uploads.values()].filter((u) => u.processAtMs <= t).map((u) => u.outcome));
  }

  function buildZip(rec: UploadRec, outcome: Outcome): Promise<Buffer> {
    if (!rec.zip) {
      const first =
        outcome.stare === 'ok'
          ? xmlOf(rec)
          : Buffer.from(errorReportXml(rec.index, rec.cif, outcome.errors), 'utf8');
      const signature = Buffer.from(signDetached(first.toString('utf8'), material), 'utf8');
      rec.zip = zipFiles([
        { name: `${rec.index}.xml`, content: first },
        { name: `semnatura_${rec.index}.xml`, content: signature },
      ]);
    }
    return rec.zip;
  }

  // ---- HTTP helpers ----
  function send(res: ServerResponse, status: number, contentType: string | null, body: string | Buffer = ''): void {
    const headers: Record<string, string | number> = {};
    if (contentType) headers['Content-Type'] = contentType;
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    headers['Content-Length'] = buf.length;
    res.writeHead(status, headers);
    res.end(buf);
  }
  const sendJson = (res: ServerResponse, status: number, body: unknown, ct = 'application/json;charset=UTF-8') =>
    send(res, status, ct, JSON.stringify(body));
  const sendXml = (res: ServerResponse, body: string) => send(res, 200, 'application/xml;charset=UTF-8', body);

  function hang(res: ServerResponse): void {
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
  }

  /** Applies transport-level faults; returns true when the answer was taken over by the fault. */
  function genericFault(kind: FaultKind | undefined, res: ServerResponse, path: string): boolean {
    switch (kind) {
      case 'timeout-before-accept':
        hang(res);
        return true;
      case 'http500':
        send(res, 500, 'application/json', springError(500, 'Internal Server Error', 'Eroare interna simulata', path));
        return true;
      case 'http204':
        send(res, 204, null);
        return true;
      case 'http429':
        send(res, 429, 'text/plain', 'Too Many Requests');
        return true;
      default:
        return false;
    }
  }

  function readBody(req: IncomingMessage, max: number): Promise<{ body: Buffer; tooLarge: boolean }> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) tooLarge = true;
        else chunks.push(c);
      });
      req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge }));
      req.on('error', reject);
    });
  }

  function bearerOk(req: IncomingMessage): boolean {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const t = accessTokens.get(m[1]!);
    return !!t && t.expiresAt > now();
  }

  async function mintAccess(clientId: string, jwt: boolean): Promise<string> {
    const iat = Math.floor(now() / 1000);
    const token = jwt
      ? await new SignJWT({ client_id: clientId, scope: 'efactura' })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setIssuer('anaf-sim')
          .setSubject(clientId)
          .setIssuedAt(iat)
          .setExpirationTime(iat + accessTtl)
          .setJti(randomUUID())
          .sign(jwtSecret)
      : randomBytes(24).toString('hex');
    accessTokens.set(token, { clientId, expiresAt: now() + accessTtl * 1000 });
    return token;
  }

  // ---- endpoints ----
  async function handleUpload(req: IncomingMessage, res: ServerResponse, env: Env, b2c: boolean, q: URLSearchParams, path: string) {
    const fault = takeFault('upload');
    if (fault && fault !== 'timeout-after-accept' && fault !== 'over-limit' && fault !== 'stuck') {
      if (genericFault(fault, res, path)) return;
    }
    const { body, tooLarge } = await readBody(req, limits.maxUploadBytes);
    const date = anafTimestamp(now());
    if (fault === 'over-limit') {
      return sendXml(res, uploadErrorXml(date, [`S-au facut deja 1000 incarcari de fisiere in cursul zilei pentru cif=${q.get('cif') ?? ''}`]));
    }
    const errs: string[] = [];
    const standard = q.get('standard') ?? '';
    const cif = q.get('cif') ?? '';
    if (!['UBL', 'CN', 'CII', 'RASP'].includes(standard)) errs.push(`Valorile acceptate pentru parametrul standard sunt UBL, CN, CII sau RASP`);
    if (!/^\d+$/.test(cif)) errs.push(`CIF introdus= ${cif} nu este un numar`);
    if (tooLarge) errs.push('Marime fisier transmis mai mare de 10 MB.');
    else if (body.length === 0) errs.push('Fisierul transmis nu este valid. Fisierul este gol.');
    if (errs.length) return sendXml(res, uploadErrorXml(date, errs));

    const index = String(nextIndex++);
    // The only parse of this upload: facts for the counters and messages, the DOM for validation.
    let document: Document | undefined;
    try {
      document = parseXmlDocument(body);
    } catch {
      /* not well-formed: ANAF's "XML cu erori nepreluat de sistem"; counted under an empty number */
    }
    const facts = document ? invoiceFacts(document.documentElement!) : undefined;
    const key = `${cif}|${facts?.invoiceNumber ?? ''}`;
    uploadCounts.set(key, (uploadCounts.get(key) ?? 0) + 1);
    const receivedAtMs = now();
    const rec: UploadRec = {
      index, env, cif, standard, b2c, extern: q.get('extern') === 'DA', xml: body, document, facts, receivedAtMs,
      processAtMs: receivedAtMs + processingDelayMs, outcome: Promise.resolve({ stare: 'nok', errors: [] }),
    };
    rec.outcome = process(rec);
    uploads.set(index, rec);
    if (fault === 'timeout-after-accept') return hang(res);
    sendXml(res, uploadOkXml(date, index));
  }

  async function handleStare(res: ServerResponse, env: Env, q: URLSearchParams, path: string) {
    const fault = takeFault('stareMesaj');
    if (genericFault(fault, res, path)) return;
    const id = q.get('id_incarcare');
    if (id === null || id === '') return sendXml(res, stareErrorXml(['Parametrul id_incarcare este obligatoriu']));
    if (!/^\d+$/.test(id)) return sendXml(res, stareErrorXml([`Id_incarcare introdus= ${id} nu este un numar intreg`]));
    if (fault === 'over-limit' || !takeQuota('stareMesaj', id, limits.stareMesajPerIndex)) {
      return sendXml(res, stareErrorXml([`S-au facut deja ${limits.stareMesajPerIndex} descarcari de mesaj in cursul zilei`]));
    }
    const rec = uploads.get(id);
    if (!rec || rec.env !== env) return sendXml(res, stareErrorXml([`Nu exista factura cu id_incarcare= ${id}`]));
    if (fault === 'stuck' || now() < rec.processAtMs) return sendXml(res, stareXml('in prelucrare'));
    const o = await rec.outcome;
    sendXml(res, stareXml(o.stare, o.idDescarcare));
  }

  async function handleDescarcare(res: ServerResponse, env: Env, q: URLSearchParams, path: string) {
    const fault = takeFault('descarcare');
    if (genericFault(fault, res, path)) return;
    const id = q.get('id');
    const titlu = 'Descarcare mesaj';
    if (id === null || id === '') {
      return send(res, 400, 'application/json', JSON.stringify({
        timestamp: new Date(now()).toISOString(), status: 400, error: 'Bad Request', message: 'Parametrul id este obligatoriu',
      }));
    }
    if (!/^\d+$/.test(id)) return sendJson(res, 200, { eroare: `Id descarcare introdus= ${id} nu este un numar intreg`, titlu });
    const forbiddenCif = [...(downloadCifs.get(id) ?? [])].find((c) => forbidden.has(c));
    if (forbiddenCif !== undefined) return sendForbidden(res, forbiddenCif, path);
    if (fault === 'over-limit' || !takeQuota('descarcare', id, limits.descarcarePerId)) {
      return sendJson(res, 200, { eroare: `S-au facut deja ${limits.descarcarePerId} descarcari la mesajul cu id_descarcare=${id} in cursul zilei`, titlu });
    }
    const index = downloads.get(id);
    const rec = index ? uploads.get(index) : undefined;
    if (!rec || rec.env !== env || now() < rec.processAtMs) {
      return sendJson(res, 200, { eroare: `Pentru id=${id} nu exista inregistrata nici o factura`, titlu });
    }
    const zip = await buildZip(rec, await rec.outcome);
    res.setHeader('Content-Disposition', `attachment; filename="${id}.zip"`);
    send(res, 200, 'application/zip', zip);
  }

  /** `filtru` → the `tip`s it selects (R = both directions of buyer messages). */
  const FILTRU: Record<string, readonly SimMessage['tip'][]> = {
    E: ['ERORI FACTURA'],
    T: ['FACTURA TRIMISA'],
    P: ['FACTURA PRIMITA'],
    R: [TIP_MESAJ_PRIMIT, TIP_MESAJ_TRANSMIS],
  };

  function publicMessage(m: SimMessage) {
    return { data_creare: m.data_creare, cif: m.cif, id_solicitare: m.id_solicitare, detalii: m.detalii, tip: m.tip, id: m.id };
  }

  async function handleLista(res: ServerResponse, env: Env, paginated: boolean, q: URLSearchParams, path: string) {
    const fault = takeFault('lista');
    if (genericFault(fault, res, path)) return;
    const titlu = 'Lista Mesaje';
    const cif = q.get('cif') ?? '';
    const filtru = q.get('filtru');
    // ANAF quirk: the simple list answers text/plain holding JSON; the paginated one application/json.
    const ct = paginated ? 'application/json;charset=UTF-8' : 'text/plain;charset=UTF-8';
    const fail = (eroare: string) => sendJson(res, 200, { eroare, titlu }, ct);
    if (!/^\d+$/.test(cif)) return fail(`CIF introdus= ${cif} nu este un numar`);
    if (filtru !== null && !(filtru in FILTRU)) return fail('Valorile acceptate pentru parametrul filtru sunt E, T, P sau R');
    const limit = paginated ? limits.listaPaginatiePerCif : limits.listaMesajePerCif;
    if (fault === 'over-limit' || !takeQuota(paginated ? 'listaPaginatie' : 'lista', cif, limit)) {
      return fail(`S-au facut deja ${limit} interogari de tip lista mesaje de catre utilizator in cursul zilei`);
    }
    await settleDue();
    const t = now();
    const tips = filtru === null ? undefined : FILTRU[filtru];
    const base = messages.filter((m) => m.env === env && m.cif === cif && m.createdAtMs <= t && (tips === undefined || tips.includes(m.tip)));
    if (!paginated) {
      const zile = Number(q.get('zile'));
      if (!Number.isInteger(zile) || zile < 1 || zile > 60) return fail('Numarul de zile trebuie sa fie intre 1 si 60');
      const sel = base.filter((m) => m.createdAtMs >= t - zile * DAY_MS);
      if (sel.length === 0) return fail(`Nu exista mesaje in ultimele ${zile} zile`);
      if (sel.length > limits.listaMaxMessages) {
        return fail(`Lista de mesaje este mai mare decat numarul de ${limits.listaMaxMessages} elemente permise in pagina. Folositi endpoint-ul cu paginatie.`);
      }
      return sendJson(res, 200, {
        mesaje: sel.map(publicMessage), serial: 'SIM0000AA1', cui: cif, titlu: `Lista Mesaje disponibile din ultimele ${zile} zile`,
      }, ct);
    }
    const startS = q.get('startTime') ?? '';
    const endS = q.get('endTime') ?? '';
    const paginaS = q.get('pagina') ?? '';
    if (!/^\d+$/.test(startS)) return fail(`Parametrul startTime ${startS} nu este valid`);
    if (!/^\d+$/.test(endS)) return fail(`Parametrul endTime ${endS} nu este valid`);
    if (!/^\d+$/.test(paginaS) || Number(paginaS) < 1) return fail(`Parametrul pagina ${paginaS} nu este valid`);
    const start = Number(startS);
    const end = Number(endS);
    const pagina = Number(paginaS);
    if (start < t - 60 * DAY_MS) return fail(`startTime = ${anafTimestamp(start)} nu poate fi mai vechi de 60 de zile fata de momentul requestului`);
    if (end < start) return fail('endTime nu poate fi inainte de startTime');
    const sel = base.filter((m) => m.createdAtMs >= start && m.createdAtMs <= end);
    if (sel.length === 0) return fail('Nu exista mesaje in intervalul selectat');
    const pages = Math.ceil(sel.length / limits.pageSize);
    if (pagina > pages) return fail(`Pagina solicitata ${pagina} este mai mare decat numarul toatal de pagini ${pages}`);
    const page = sel.slice((pagina - 1) * limits.pageSize, pagina * limits.pageSize);
    return sendJson(res, 200, {
      mesaje: page.map(publicMessage),
      numar_inregistrari_in_pagina: page.length,
      numar_total_inregistrari_per_pagina: limits.pageSize,
      numar_total_inregistrari: sel.length,
      numar_total_pagini: pages,
      index_pagina_curenta: pagina,
      serial: 'SIM0000AA1',
      cui: cif,
      titlu: `Lista Mesaje disponibile din intervalul ${anafTimestamp(start)} - ${anafTimestamp(end)}`,
    }, ct);
  }

  async function handleValidare(req: IncomingMessage, res: ServerResponse, standard: string) {
    const { body, tooLarge } = await readBody(req, limits.maxUploadBytes);
    const trace_id = randomUUID();
    if (tooLarge) return sendJson(res, 200, { stare: 'nok', trace_id, Messages: [{ message: 'Marime fisier transmis mai mare de 10 MB.' }] });
    let document: Document;
    try {
      document = parseXmlDocument(body);
    } catch (err) {
      return sendJson(res, 200, { stare: 'nok', trace_id, Messages: [{ message: `E: eroare XML: ${(err as Error).message}` }] });
    }
    const expected = standard === 'FCN' ? 'CreditNote' : 'Invoice';
    const root = document.documentElement!;
    if ((root.localName ?? root.nodeName) !== expected) {
      return sendJson(res, 200, { stare: 'nok', trace_id, Messages: [{ message: `E: eroare schema: asteptat ${expected}` }] });
    }
    try {
      const r = await validate(body, document);
      const msgs = r.messages.filter((m) => m.flag !== 'warning').map((m) => ({ message: errorLine(m.ruleId, m.message) }));
      const ok = r.valid && r.fatal.length === 0 && msgs.length === 0;
      return sendJson(res, 200, ok ? { stare: 'ok', trace_id } : { stare: 'nok', trace_id, Messages: msgs.length ? msgs : r.fatal.map((message) => ({ message })) });
    } catch (err) {
      return sendJson(res, 200, { stare: 'nok', trace_id, Messages: [{ message: `E: eroare schema: ${(err as Error).message}` }] });
    }
  }

  /**
   * HTTP 403 "the certificate holder has no right on that CIF" (ANAF-EFACTURA.md "Limits"), Spring-style
   * JSON like ANAF's other gateway errors; the text is ANAF's list error "Nu aveti drept in SPV pentru CIF=".
   */
  function sendForbidden(res: ServerResponse, cif: string, path: string): void {
    send(res, 403, 'application/json', springError(403, 'Forbidden', `Nu aveti drept in SPV pentru CIF=${cif}`, path));
  }

  /**
   * `POST /api/PlatitorTvaRest/v9/tva` (public, no OAuth): body `[{"cui": <number>, "data": "YYYY-MM-DD"}]`,
   * answer `{"cod":200,"message":"SUCCESS","found":[...],"notFound":[<cui>...]}` (ANAF doc_WS_V9).
   * Over `taxpayerCuisPerCall` CUIs or a malformed body: HTTP 200 `{"cod":400,"message"}` (assumed);
   * a second call of the same client (remote address) within `taxpayerMinIntervalMs` by the `now`
   * clock: HTTP 429 `Too Many Requests` (assumed), not counted as the client's last call.
   */
  async function handleTaxpayers(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method !== 'POST') {
      req.resume();
      return send(res, 405, 'application/json', springError(405, 'Method Not Allowed', `Request method '${req.method}' not supported`, path));
    }
    const { body, tooLarge } = await readBody(req, 1024 * 1024);
    let entries: unknown[] | null = null;
    try {
      const parsed: unknown = tooLarge ? null : JSON.parse(body.toString('utf8'));
      entries = Array.isArray(parsed) ? parsed : null;
    } catch {
      entries = null;
    }
    const t = now();
    const call: TaxpayerCall = { atMs: t, cuis: entries?.length ?? 0, status: 200 };
    taxpayerCallLog.push(call);
    const clientKey = req.socket.remoteAddress ?? '';
    const last = lastTaxpayerCall.get(clientKey);
    if (limits.taxpayerMinIntervalMs > 0 && last !== undefined && t - last < limits.taxpayerMinIntervalMs) {
      call.status = 429;
      res.setHeader('Retry-After', String(Math.ceil((limits.taxpayerMinIntervalMs - (t - last)) / 1000)));
      return send(res, 429, 'text/plain', 'Too Many Requests');
    }
    lastTaxpayerCall.set(clientKey, t);
    const fail = (message: string) => sendJson(res, 200, { cod: 400, message });
    if (!entries) return fail('Format invalid: corpul trebuie sa fie o lista JSON [{"cui": <numar>, "data": "YYYY-MM-DD"}]');
    if (entries.length > limits.taxpayerCuisPerCall) {
      return fail(`Un request poate contine maxim ${limits.taxpayerCuisPerCall} de CUI-uri (primite ${entries.length})`);
    }
    const found: AnafTaxpayerRecord[] = [];
    const notFound: number[] = [];
    for (const e of entries) {
      const cui = (e as { cui?: unknown } | null)?.cui;
      const day = (e as { data?: unknown } | null)?.data;
      const cuiNum = typeof cui === 'number' ? cui : typeof cui === 'string' && /^\d+$/.test(cui) ? Number(cui) : NaN;
      if (!Number.isInteger(cuiNum) || cuiNum <= 0) return fail(`CUI invalid: ${JSON.stringify(cui)}`);
      if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
        return fail(`Data invalida: ${JSON.stringify(day)} (format YYYY-MM-DD)`);
      }
      const rec = taxpayers.get(String(cuiNum));
      if (rec) found.push(taxpayerAsOf(rec, day));
      else notFound.push(cuiNum);
    }
    return sendJson(res, 200, { cod: 200, message: 'SUCCESS', found, notFound });
  }

  function addTaxpayer(input: SimTaxpayerInput): AnafTaxpayerRecord {
    const rec = normaliseTaxpayer(input);
    taxpayers.set(String(rec.date_generale.cui), rec);
    return rec;
  }

  function clientAuth(req: IncomingMessage, form: URLSearchParams): { clientId: string; clientSecret: string } | null {
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) {
        clientId = decodeURIComponent(decoded.slice(0, i));
        clientSecret = decodeURIComponent(decoded.slice(i + 1));
      }
    }
    if (!clientId || !clientSecret) return null;
    if (opts.oauthClients && !opts.oauthClients.some((c) => c.clientId === clientId && c.clientSecret === clientSecret)) return null;
    return { clientId, clientSecret };
  }

  async function handleOAuth(req: IncomingMessage, res: ServerResponse, op: string, url: URL) {
    if (op === 'authorize') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri');
      const clientId = q.get('client_id');
      if (q.get('response_type') !== 'code' || !redirectUri || !clientId) {
        return sendJson(res, 400, { error: 'invalid_request', error_description: 'response_type=code, client_id and redirect_uri are required' });
      }
      if (opts.oauthClients && !opts.oauthClients.some((c) => c.clientId === clientId)) {
        return sendJson(res, 400, { error: 'unauthorized_client', error_description: 'unknown client_id' });
      }
      const code = randomBytes(16).toString('hex');
      codes.set(code, { clientId, redirectUri, jwt: q.get('token_content_type') === 'jwt', expiresAt: now() + 10 * 60_000 });
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      const state = q.get('state');
      if (state !== null) target.searchParams.set('state', state);
      res.writeHead(302, { Location: target.toString(), 'Content-Length': 0 });
      res.end();
      return;
    }
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request', error_description: 'POST required' });
    const fault = op === 'token' ? takeFault('token') : undefined;
    if (genericFault(fault, res, url.pathname)) return;
    const form = new URLSearchParams((await readBody(req, 64 * 1024)).body.toString('utf8'));
    if (op === 'revoke') {
      const token = form.get('token') ?? '';
      accessTokens.delete(token);
      refreshTokens.delete(token);
      return send(res, 200, 'application/json', '{}');
    }
    const client = clientAuth(req, form);
    if (!client) return sendJson(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const grant = form.get('grant_type');
    let jwt = false;
    let authExpiresAt = 0;
    if (grant === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!code || code.expiresAt < now() || code.clientId !== client.clientId) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
      }
      if (form.get('redirect_uri') !== null && form.get('redirect_uri') !== code.redirectUri) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
      }
      jwt = code.jwt || form.get('token_content_type') === 'jwt';
      authExpiresAt = now() + refreshTtl * 1000;
      oauth.codeGrants++;
    } else if (grant === 'refresh_token') {
      const rt = form.get('refresh_token') ?? '';
      const rec = refreshTokens.get(rt);
      if (!rec) {
        if (usedRefreshTokens.has(rt)) {
          oauth.refusedReusedRefreshTokens++;
          return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Refresh token already used (rotated)' });
        }
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
      }
      if (rec.expiresAt <= now()) {
        oauth.refusedExpiredRefreshTokens++;
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Refresh token expired' });
      }
      if (rec.clientId !== client.clientId) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
      refreshTokens.delete(rt); // rotation: only the newest refresh token stays valid
      usedRefreshTokens.add(rt);
      jwt = rec.jwt;
      authExpiresAt = rotatedExpiry === 'original' ? rec.expiresAt : now() + refreshTtl * 1000;
      oauth.refreshGrants++;
    } else {
      return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `grant_type ${grant ?? ''}` });
    }
    const access_token = await mintAccess(client.clientId, jwt);
    const refresh_token = randomBytes(32).toString('hex');
    refreshTokens.set(refresh_token, { clientId: client.clientId, jwt, expiresAt: authExpiresAt });
    return sendJson(res, 200, { access_token, refresh_token, expires_in: accessTtl, token_type: 'Bearer', scope: 'efactura' });
  }

  /** JSON body of a /__sim control; `undefined` (after a 400 answer) when it is not JSON. */
  async function readJson(req: IncomingMessage, res: ServerResponse, max = 64 * 1024): Promise<unknown> {
    const text = (await readBody(req, max)).body.toString('utf8');
    try {
      return JSON.parse(text || '{}') as unknown;
    } catch {
      sendJson(res, 400, { error: 'body is not JSON' });
      return undefined;
    }
  }

  /** Runs `fn` and answers 200 with its result, or 400 when it throws a RangeError. */
  function answer(res: ServerResponse, fn: () => unknown): void {
    try {
      sendJson(res, 200, fn());
    } catch (err) {
      if (err instanceof RangeError) return sendJson(res, 400, { error: err.message });
      throw err;
    }
  }

  async function handleSim(req: IncomingMessage, res: ServerResponse, url: URL) {
    const p = url.pathname.replace(/\/$/, '');
    if (p === '/__sim/clock') {
      if (req.method === 'POST') {
        const parsed = z.object({ offsetMs: z.number().int() }).safeParse(await readJson(req, res));
        if (res.headersSent) return;
        if (!parsed.success) return sendJson(res, 400, { error: 'invalid clock', issues: parsed.error.issues });
        clockOffsetMs = parsed.data.offsetMs;
      }
      return sendJson(res, 200, { offsetMs: clockOffsetMs, nowMs: now() });
    }
    if (p === '/__sim/buyer-messages' && req.method === 'POST') {
      const parsed = buyerMessageSchema.safeParse(await readJson(req, res));
      if (res.headersSent) return;
      if (!parsed.success) return sendJson(res, 400, { error: 'invalid buyer message', issues: parsed.error.issues });
      return answer(res, () => addBuyerMessage(parsed.data));
    }
    if (p === '/__sim/inbox' && req.method === 'POST') {
      const parsed = seedSchema.safeParse(await readJson(req, res));
      if (res.headersSent) return;
      if (!parsed.success) return sendJson(res, 400, { error: 'invalid seed', issues: parsed.error.issues });
      return answer(res, () => ({ invoices: seedInbox(parsed.data) }));
    }
    if (p === '/__sim/forbidden') {
      if (req.method === 'POST') {
        const parsed = z.object({ cif: z.string().regex(/^(?:RO)?\d{2,13}$/i) }).safeParse(await readJson(req, res));
        if (res.headersSent) return;
        if (!parsed.success) return sendJson(res, 400, { error: 'invalid cif', issues: parsed.error.issues });
        forbidden.add(digits(parsed.data.cif));
      } else if (req.method === 'DELETE') {
        const cif = url.searchParams.get('cif');
        if (cif === null) forbidden.clear();
        else forbidden.delete(digits(cif));
      }
      return sendJson(res, 200, { cifs: [...forbidden] });
    }
    if (p === '/__sim/oauth-stats' && req.method === 'GET') return sendJson(res, 200, { ...oauth });
    if (p === '/__sim/taxpayer-calls') {
      if (req.method === 'DELETE') taxpayerCallLog.length = 0;
      return sendJson(res, 200, { calls: taxpayerCallLog });
    }
    if (p === '/__sim/taxpayers') {
      if (req.method === 'POST') {
        const body = await readJson(req, res, 1024 * 1024);
        if (res.headersSent) return;
        const list = (Array.isArray(body) ? body : [body]) as SimTaxpayerInput[];
        if (!list.every((t) => typeof t === 'object' && t !== null && typeof t.date_generale === 'object' && t.date_generale !== null)) {
          return sendJson(res, 400, { error: 'each taxpayer needs date_generale {cui, denumire}' });
        }
        return answer(res, () => ({ taxpayers: list.map(addTaxpayer) }));
      }
      return sendJson(res, 200, { taxpayers: [...taxpayers.values()] });
    }
    if (p === '/__sim/uploads' && req.method === 'GET') {
      const key = `${digits(url.searchParams.get('cif'))}|${url.searchParams.get('number') ?? ''}`;
      return sendJson(res, 200, { count: uploadCounts.get(key) ?? 0 });
    }
    if (p === '/__sim/faults') {
      if (req.method === 'DELETE') {
        faults.clear();
        return sendJson(res, 200, { faults: [] });
      }
      if (req.method === 'GET') return sendJson(res, 200, { faults: faults.list() });
      if (req.method === 'POST') {
        const parsed = faultSchema.safeParse(JSON.parse((await readBody(req, 64 * 1024)).body.toString('utf8') || '{}'));
        if (!parsed.success) return sendJson(res, 400, { error: 'invalid fault', issues: parsed.error.issues });
        faults.add(parsed.data);
        return sendJson(res, 200, { faults: faults.list() });
      }
    }
    if (p === '/__sim/config' && req.method === 'POST') {
      const parsed = z.object({ processingDelayMs: z.number().int().min(0) }).safeParse(
        JSON.parse((await readBody(req, 64 * 1024)).body.toString('utf8') || '{}'),
      );
      if (!parsed.success) return sendJson(res, 400, { error: 'invalid config', issues: parsed.error.issues });
      processingDelayMs = parsed.data.processingDelayMs;
      return sendJson(res, 200, { processingDelayMs });
    }
    if (p === '/__sim/config' && req.method === 'GET') return sendJson(res, 200, { processingDelayMs, limits });
    if (p === '/__sim/messages' && req.method === 'GET') {
      purgeExpired();
      await settleDue();
      return sendJson(res, 200, { messages: messages.filter((m) => m.createdAtMs <= now()) });
    }
    if (p === '/__sim/tokens' && req.method === 'POST') {
      return sendJson(res, 200, { access_token: await mintAccess('sim-test-client', true), token_type: 'Bearer', expires_in: accessTtl });
    }
    if (p === '/__sim/health') return sendJson(res, 200, { status: 'ok' });
    return sendJson(res, 404, { error: 'not found' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname;
    if (path.startsWith('/__sim/')) return handleSim(req, res, url);
    if (TAXPAYER_RE.test(path)) return handleTaxpayers(req, res, path);
    const oauthOp = OAUTH_RE.exec(path);
    if (oauthOp) return handleOAuth(req, res, oauthOp[1]!, url);
    const val = VALIDARE_RE.exec(path);
    if (val) {
      if (req.method !== 'POST') return send(res, 405, 'application/json', springError(405, 'Method Not Allowed', 'POST required', path));
      return handleValidare(req, res, val[2]!);
    }
    const api = API_RE.exec(path);
    if (!api) return send(res, 404, 'application/json', springError(404, 'Not Found', 'No message available', path));
    const env = api[1] as Env;
    const endpoint = api[2]!;
    if (!bearerOk(req)) {
      oauth.unauthorizedApiCalls++;
      req.resume();
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      return send(res, 401, 'application/json', springError(401, 'Unauthorized', 'Token invalid sau expirat', path));
    }
    const isUpload = endpoint === 'upload' || endpoint === 'uploadb2c';
    if (isUpload !== (req.method === 'POST')) {
      req.resume();
      return send(res, 405, 'application/json', springError(405, 'Method Not Allowed', `Request method '${req.method}' not supported`, path));
    }
    const q = url.searchParams;
    purgeExpired();
    if (endpoint !== 'stareMesaj' && endpoint !== 'descarcare' && forbidden.has(digits(q.get('cif')))) {
      req.resume();
      return sendForbidden(res, digits(q.get('cif')), path);
    }
    switch (endpoint) {
      case 'upload':
      case 'uploadb2c':
        return handleUpload(req, res, env, endpoint === 'uploadb2c', q, path);
      case 'stareMesaj':
        return handleStare(res, env, q, path);
      case 'descarcare':
        return handleDescarcare(res, env, q, path);
      default:
        return handleLista(res, env, endpoint === 'listaMesajePaginatieFactura', q, path);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'application/json', springError(500, 'Internal Server Error', String((err as Error)?.message ?? err), req.url ?? ''));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  return {
    url: `http://${host}:${addr.port}`,
    faults,
    certificatePem: material.certificatePem,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        hanging.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    uploadsFor: (cif, invoiceNumber) => uploadCounts.get(`${digits(cif)}|${invoiceNumber}`) ?? 0,
    setProcessingDelayMs: (ms) => {
      processingDelayMs = ms;
    },
    messages: () => {
      purgeExpired();
      return messages.filter((m) => m.createdAtMs <= now()).map((m) => ({ ...m }));
    },
    issueAccessToken: (clientId = 'sim-test-client') => mintAccess(clientId, true),
    now,
    setNow: (clock) => {
      baseNow = clock;
    },
    setClockOffsetMs: (ms) => {
      clockOffsetMs = ms;
    },
    addBuyerMessage,
    seedInbox,
    forbidCif: (cif) => {
      forbidden.add(digits(cif));
    },
    allowCif: (cif) => {
      forbidden.delete(digits(cif));
    },
    clearForbiddenCifs: () => forbidden.clear(),
    oauthStats: () => ({ ...oauth }),
    taxpayerCalls: () => taxpayerCallLog.map((c) => ({ ...c })),
    addTaxpayer,
  };
}
