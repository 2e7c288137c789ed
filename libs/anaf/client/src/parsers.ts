import { DOMParser, type Element } from '@xmldom/xmldom';
import {
  AnafProtocolError,
  AnafQuotaExceededError,
  AnafRequestRejectedError,
  AnafUploadRefusedError,
  quotaLimitIn,
  type AnafEndpoint,
} from './errors.js';
import { parseAnafTimestamp } from './time.js';

/** Successful upload answer (ANAF upload API, `ExecutionStatus="0"`). */
export interface UploadResult {
  /** `index_incarcare`: the upload index used by stareMesaj. */
  indexIncarcare: string;
  /** `dateResponse` as sent, `yyyyMMddHHmm` Europe/Bucharest. */
  dateResponse: string;
}

/** Final and intermediate stareMesaj states (ANAF stareMesaj API). */
export type Stare = 'ok' | 'nok' | 'in prelucrare' | 'XML cu erori nepreluat de sistem';

/** stareMesaj answer: `idDescarcare` is present for `ok` and `nok`. */
export interface StareMesajResult {
  stare: Stare;
  idDescarcare?: string;
}

/** Message types of the lists (ANAF listaMesaje*); other values pass through as strings. */
export type AnafMessageTip = 'FACTURA TRIMISA' | 'FACTURA PRIMITA' | 'ERORI FACTURA' | (string & {});

/** One entry of listaMesajeFactura / listaMesajePaginatieFactura, typed. */
export interface AnafMessage {
  /** `id`: the download id for descarcare. */
  id: string;
  /** `id_solicitare`: the upload index (`index_incarcare`). */
  idSolicitare: string;
  /** `cif` the message belongs to. */
  cif: string;
  tip: AnafMessageTip;
  detalii: string;
  /** `data_creare` as sent (`yyyyMMddHHmm`, Europe/Bucharest). */
  dataCreare: string;
  /** `data_creare` as an instant (undefined when unparseable). */
  createdAt?: Date;
  /** `cif_emitent` and `cif_beneficiar` when `detalii` names them. */
  cifEmitent?: string;
  cifBeneficiar?: string;
}

/** Paging fields of listaMesajePaginatieFactura (integers in ANAF's JSON). */
export interface AnafPageInfo {
  numarInregistrariInPagina: number;
  numarTotalInregistrariPerPagina: number;
  numarTotalInregistrari: number;
  numarTotalPagini: number;
  indexPaginaCurenta: number;
}

/** A parsed list answer; `messages` is empty when ANAF said "Nu exista mesaje in ...". */
export interface AnafMessageList {
  messages: AnafMessage[];
  page?: AnafPageInfo;
  titlu?: string;
  serial?: string;
  cui?: string;
}

/** Error report of a rejected invoice (`mesajEroriFactuta:v1`, found in the descarcare ZIP). */
export interface AnafErrorReport {
  indexIncarcare: string;
  cifEmitent: string;
  /** One per `Error` element; `ruleId` extracted from the message (e.g. `BR-RO-010`) when present. */
  errors: { message: string; ruleId?: string }[];
}

/** Answer of the public validare endpoint. */
export interface ValidareResult {
  stare: 'ok' | 'nok';
  traceId?: string;
  messages: { message: string; ruleId?: string }[];
}

function parseXml(body: string, endpoint: AnafEndpoint): Element {
  const errors: string[] = [];
  let root: Element | null = null;
  try {
    root = new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') errors.push(String(msg));
      },
    }).parseFromString(body, 'application/xml').documentElement;
  } catch (err) {
    errors.push((err as Error).message);
  }
  if (errors.length || !root) throw new AnafProtocolError(endpoint, `unparseable XML answer: ${errors[0] ?? 'no root'}`, body);
  return root;
}

function childrenNamed(el: Element, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && ((n as Element).localName ?? n.nodeName) === localName) out.push(n as Element);
  }
  return out;
}

function looksLikeJson(body: string): boolean {
  const t = body.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

/**
 * Parses a JSON body whatever the content type (ANAF sends JSON as `text/plain` too), tolerating a
 * BOM. @throws AnafProtocolError on an empty or non-JSON body.
 */
export function parseJsonBody(body: string, endpoint: AnafEndpoint): Record<string, unknown> {
  const t = body.replace(/^\uFEFF/, '').trim();
  if (!t) throw new AnafProtocolError(endpoint, 'empty answer body', body);
  try {
    const v: unknown = JSON.parse(t);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fallthrough */
  }
  throw new AnafProtocolError(endpoint, 'answer is not a JSON object', body);
}

/** Throws AnafQuotaExceededError for the first ANAF error text matching the over-limit pattern; else returns. */
function throwIfQuotaMessage(endpoint: AnafEndpoint, messages: readonly string[], key?: string): void {
  for (const m of messages) {
    const limit = quotaLimitIn(m);
    if (limit !== undefined) throw new AnafQuotaExceededError(endpoint, m, 'anaf', limit, key);
  }
}

/** Throws the typed error for an ANAF error text: quota when it matches the over-limit pattern, else rejected. */
function throwAnafMessages(endpoint: AnafEndpoint, messages: string[], key?: string): never {
  throwIfQuotaMessage(endpoint, messages, key);
  throw new AnafRequestRejectedError(endpoint, messages);
}

/** A JSON body in place of XML (e.g. a gateway error): turn it into the right typed error. */
function throwForJsonInsteadOfXml(body: string, endpoint: AnafEndpoint, key?: string): never {
  const j = parseJsonBody(body, endpoint);
  const msg = [j['eroare'], j['message'], j['error']].find((x) => typeof x === 'string') as string | undefined;
  if (msg) throwAnafMessages(endpoint, [msg], key);
  throw new AnafProtocolError(endpoint, 'JSON answer where XML was expected', body);
}

/**
 * Parses the upload answer (`header` in `mfp:anaf:dgti:spv:respUploadFisier:v1`).
 * Source: ANAF upload API / ANAF-EFACTURA.md "upload".
 * @throws AnafQuotaExceededError when the `Errors` say `S-au facut deja N ... in cursul zilei`;
 *   AnafUploadRefusedError for `ExecutionStatus="1"`; AnafProtocolError for any other shape.
 */
export function parseUploadResponse(body: string, endpoint: AnafEndpoint = 'upload'): UploadResult {
  if (looksLikeJson(body)) throwForJsonInsteadOfXml(body, endpoint);
  if (!body.trim()) throw new AnafProtocolError(endpoint, 'empty answer body', body);
  const root = parseXml(body, endpoint);
  if ((root.localName ?? root.nodeName) !== 'header') throw new AnafProtocolError(endpoint, `unexpected root ${root.nodeName}`, body);
  const status = root.getAttribute('ExecutionStatus');
  const errors = childrenNamed(root, 'Errors').map((e) => e.getAttribute('errorMessage') ?? '').filter(Boolean);
  if (status === '0') {
    const index = root.getAttribute('index_incarcare');
    if (!index || !/^\d+$/.test(index)) throw new AnafProtocolError(endpoint, 'ExecutionStatus=0 without a numeric index_incarcare', body);
    return { indexIncarcare: index, dateResponse: root.getAttribute('dateResponse') ?? '' };
  }
  if (status === '1' || errors.length > 0) {
    throwIfQuotaMessage(endpoint, errors);
    throw new AnafUploadRefusedError(errors.length ? errors : ['ExecutionStatus=1 without messages'], endpoint);
  }
  throw new AnafProtocolError(endpoint, `unexpected ExecutionStatus ${status ?? '(none)'}`, body);
}

const STARI: readonly Stare[] = ['ok', 'nok', 'in prelucrare', 'XML cu erori nepreluat de sistem'];

/**
 * Parses the stareMesaj answer (`header` in `mfp:anaf:dgti:efactura:stareMesajFactura:v1`).
 * Source: ANAF stareMesaj API / ANAF-EFACTURA.md "stareMesaj".
 * @throws AnafQuotaExceededError (over-limit `Errors`), AnafRequestRejectedError (other `Errors`:
 *   unknown id, id not a number, no right), AnafProtocolError (other shapes, `ok`/`nok` without id).
 */
export function parseStareMesajResponse(body: string, indexIncarcare?: string): StareMesajResult {
  const endpoint: AnafEndpoint = 'stareMesaj';
  if (looksLikeJson(body)) throwForJsonInsteadOfXml(body, endpoint, indexIncarcare);
  if (!body.trim()) throw new AnafProtocolError(endpoint, 'empty answer body', body);
  const root = parseXml(body, endpoint);
  const errors = childrenNamed(root, 'Errors').map((e) => e.getAttribute('errorMessage') ?? '').filter(Boolean);
  if (errors.length) throwAnafMessages(endpoint, errors, indexIncarcare);
  const stare = root.getAttribute('stare')?.trim() ?? '';
  const found = STARI.find((s) => s.toLowerCase() === stare.toLowerCase());
  if (!found) throw new AnafProtocolError(endpoint, `unknown stare "${stare}"`, body);
  const id = root.getAttribute('id_descarcare') || undefined;
  if ((found === 'ok' || found === 'nok') && !id) throw new AnafProtocolError(endpoint, `stare ${found} without id_descarcare`, body);
  return id ? { stare: found, idDescarcare: id } : { stare: found };
}

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function int(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** Maps one raw ANAF list entry to {@link AnafMessage}. */
export function toAnafMessage(raw: Record<string, unknown>): AnafMessage {
  const detalii = str(raw['detalii']);
  const dataCreare = str(raw['data_creare']);
  const msg: AnafMessage = {
    id: str(raw['id']),
    idSolicitare: str(raw['id_solicitare']),
    cif: str(raw['cif']),
    tip: str(raw['tip']),
    detalii,
    dataCreare,
  };
  const at = parseAnafTimestamp(dataCreare);
  if (at) msg.createdAt = at;
  const em = /cif_emitent=(\w+)/.exec(detalii);
  const be = /cif_beneficiar=(\w+)/.exec(detalii);
  if (em) msg.cifEmitent = em[1]!;
  if (be) msg.cifBeneficiar = be[1]!;
  return msg;
}

/**
 * Parses a listaMesajeFactura / listaMesajePaginatieFactura answer (JSON, possibly sent as text/plain).
 * `eroare` starting with "Nu exista mesaje" → empty list. Source: ANAF-EFACTURA.md "listaMesaje".
 * @throws AnafQuotaExceededError (over-limit `eroare`), AnafRequestRejectedError (other `eroare`),
 *   AnafProtocolError (empty body, not JSON, no `mesaje` array).
 */
export function parseListaResponse(body: string, endpoint: AnafEndpoint, cif?: string): AnafMessageList {
  const j = parseJsonBody(body, endpoint);
  if (typeof j['eroare'] === 'string') {
    const e = j['eroare'];
    if (/^\s*Nu exista mesaje/i.test(e)) return { messages: [] };
    throwAnafMessages(endpoint, [e], cif);
  }
  const mesaje = j['mesaje'];
  if (!Array.isArray(mesaje)) throw new AnafProtocolError(endpoint, 'answer without a mesaje array', body);
  const out: AnafMessageList = {
    messages: mesaje.map((m) => toAnafMessage((m ?? {}) as Record<string, unknown>)),
  };
  if (typeof j['titlu'] === 'string') out.titlu = j['titlu'];
  if (j['serial'] !== undefined) out.serial = str(j['serial']);
  if (j['cui'] !== undefined) out.cui = str(j['cui']);
  if (j['numar_total_pagini'] !== undefined) {
    out.page = {
      numarInregistrariInPagina: int(j['numar_inregistrari_in_pagina']),
      numarTotalInregistrariPerPagina: int(j['numar_total_inregistrari_per_pagina']),
      numarTotalInregistrari: int(j['numar_total_inregistrari']),
      numarTotalPagini: int(j['numar_total_pagini']),
      indexPaginaCurenta: int(j['index_pagina_curenta']),
    };
  }
  return out;
}

/**
 * Turns a non-ZIP descarcare answer (JSON `eroare`) into its typed error.
 * @throws always: AnafQuotaExceededError, AnafRequestRejectedError or AnafProtocolError.
 */
export function throwDescarcareFailure(body: string, idDescarcare?: string): never {
  const endpoint: AnafEndpoint = 'descarcare';
  const j = parseJsonBody(body, endpoint);
  const e = [j['eroare'], j['message']].find((x) => typeof x === 'string') as string | undefined;
  if (e) throwAnafMessages(endpoint, [e], idDescarcare);
  throw new AnafProtocolError(endpoint, 'answer is neither a ZIP nor an eroare', body);
}

const RULE_AFTER_REGULA = /regula:\s*([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+(?:_\d+)?)/;
const RULE_ANYWHERE = /\b((?:BR|UBL-SR|UBL-CR|CII-SR|PEPPOL-EN16931-R)(?:-[A-Z]{1,3})?-[A-Z]?\d{1,3}[a-z]?(?:_\d+)?)\b/;

/**
 * Extracts an EN 16931 / CIUS-RO rule id (e.g. `BR-RO-010`, `BR-CO-15`, `BR-RO-A020`) from an ANAF
 * error message such as `E: validari globale eroare regula: BR-RO-010, ...`. Undefined when none.
 */
export function extractRuleId(message: string): string | undefined {
  return RULE_AFTER_REGULA.exec(message)?.[1] ?? RULE_ANYWHERE.exec(message)?.[1];
}

/** Namespace of the error report (spelled "Factuta" by ANAF). */
export const ERROR_REPORT_NAMESPACE = 'mfp:anaf:dgti:efactura:mesajEroriFactuta:v1';

/**
 * Parses the error report of a rejected invoice: root `header` (namespace
 * `mfp:anaf:dgti:efactura:mesajEroriFactuta:v1`), attributes `Index_incarcare`, `Cif_emitent`,
 * children `Error errorMessage="..."`. Source: ANAF-EFACTURA.md "descarcare".
 * @throws AnafProtocolError when the XML is unparseable or not an error report.
 */
export function parseErrorReport(xml: Buffer | string): AnafErrorReport {
  const body = typeof xml === 'string' ? xml : xml.toString('utf8');
  const root = parseXml(body, 'descarcare');
  if (root.namespaceURI !== ERROR_REPORT_NAMESPACE || (root.localName ?? root.nodeName) !== 'header') {
    throw new AnafProtocolError('descarcare', `not an error report: ${root.nodeName}`, body);
  }
  const errors = [...childrenNamed(root, 'Error'), ...childrenNamed(root, 'Errors')].map((e) => {
    const message = e.getAttribute('errorMessage') ?? e.textContent ?? '';
    const ruleId = extractRuleId(message);
    return ruleId ? { message, ruleId } : { message };
  });
  return {
    indexIncarcare: root.getAttribute('Index_incarcare') ?? root.getAttribute('index_incarcare') ?? '',
    cifEmitent: root.getAttribute('Cif_emitent') ?? root.getAttribute('cif_emitent') ?? '',
    errors,
  };
}

/** True when `xml` is an ANAF error report (root namespace `mesajEroriFactuta:v1`). */
export function isErrorReport(xml: Buffer | string): boolean {
  const head = (typeof xml === 'string' ? xml : xml.subarray(0, 4096).toString('utf8')).slice(0, 4096);
  return head.includes(ERROR_REPORT_NAMESPACE);
}

/**
 * Parses the validare answer `{"stare":"ok"|"nok","trace_id":"...","Messages":[{"message":"..."}]}`.
 * Source: ANAF-EFACTURA.md "validare". @throws AnafProtocolError on other shapes.
 */
export function parseValidareResponse(body: string): ValidareResult {
  const j = parseJsonBody(body, 'validare');
  const stare = j['stare'];
  if (stare !== 'ok' && stare !== 'nok') throw new AnafProtocolError('validare', `unexpected stare ${String(stare)}`, body);
  const raw = Array.isArray(j['Messages']) ? (j['Messages'] as unknown[]) : [];
  const messages = raw.map((m) => {
    const message = str((m as Record<string, unknown>)?.['message']);
    const ruleId = extractRuleId(message);
    return ruleId ? { message, ruleId } : { message };
  });
  const out: ValidareResult = { stare, messages };
  if (typeof j['trace_id'] === 'string') out.traceId = j['trace_id'];
  return out;
}
