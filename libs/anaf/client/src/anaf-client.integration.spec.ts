import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { conformanceDir } from '@cetate/platform-testing';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the client is tested against the real ANAF simulator
import { startAnafSimulator, type AnafSimulator } from '@cetate/anaf-sim';
import { decodeJwt } from 'jose';
import { SignedXml } from 'xml-crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AnafAuthError,
  AnafCircuitOpenError,
  AnafClient,
  AnafHttpError,
  AnafOAuthClient,
  AnafQuotaExceededError,
  AnafRequestRejectedError,
  AnafTimeoutError,
  AnafUploadRefusedError,
  InMemoryAnafTokenStore,
  InMemoryQuotaLedger,
  RefreshingTokenProvider,
  type AnafClientOptions,
  type AnafMessage,
  type StareMesajResult,
} from './index.js';

const VALID = readFileSync(join(conformanceDir(), 'invoices/ro-phive/ubl_b2g_example1.xml'));
const BR_RO_010 = readFileSync(join(conformanceDir(), 'invoices/ro-mut/mut_BR-RO-010.xml'));
const SELLER = '1111111111';
const BUYER = '8609468';

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

/** The valid sample with another BT-1 number, so upload counts per invoice can be told apart. */
function invoiceNo(n: string): Buffer {
  return Buffer.from(VALID.toString('utf8').replace('<cbc:ID>12115118</cbc:ID>', `<cbc:ID>${n}</cbc:ID>`));
}

let sim: AnafSimulator;
let token: string;
let api: string;
const clients: AnafClient[] = [];

function client(extra: Partial<AnafClientOptions> = {}): AnafClient {
  const c = new AnafClient({
    apiBaseUrl: api,
    tokenProvider: async () => token,
    timeoutMs: 2000,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    breaker: { enabled: false },
    ...extra,
  });
  clients.push(c);
  return c;
}

async function until<T>(fn: () => Promise<T>, done: (t: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function collect(it: AsyncIterable<AnafMessage>): Promise<AnafMessage[]> {
  const out: AnafMessage[] = [];
  for await (const m of it) out.push(m);
  return out;
}

beforeAll(async () => {
  sim = await startAnafSimulator({
    processingDelayMs: 300,
    limits: { pageSize: 3 },
    oauthClients: [{ clientId: 'cetate-app', clientSecret: 's3cret' }],
    accessTokenTtlSeconds: 3600,
  });
  token = await sim.issueAccessToken();
  api = `${sim.url}/test/FCTEL/rest`;
});

afterEach(async () => {
  sim.faults.clear();
  sim.setProcessingDelayMs(300);
});

afterAll(async () => {
  for (const c of clients) c.shutdown();
  await sim.close();
});

describe('OAuth against the simulator', () => {
  const opts = () => ({
    oauthBaseUrl: `${sim.url}/anaf-oauth2/v1`,
    clientId: 'cetate-app',
    clientSecret: 's3cret',
    redirectUri: 'https://cetate.example/anaf/callback',
  });

  async function authorize(oauth: AnafOAuthClient): Promise<string> {
    const res = await fetch(oauth.authorizeUrl('st-1'), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe('https://cetate.example/anaf/callback');
    expect(loc.searchParams.get('state')).toBe('st-1');
    return loc.searchParams.get('code')!;
  }

  it('code → JWT token → refresh (rotation) → API call; old refresh token refused', async () => {
    const oauth = new AnafOAuthClient(opts());
    const first = await oauth.exchangeCode(await authorize(oauth));
    expect(first.tokenType).toBe('Bearer');
    expect(decodeJwt(first.accessToken).sub).toBe('cetate-app');
    expect(first.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3500_000);

    const second = await oauth.refresh(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const refused = await oauth.refresh(first.refreshToken).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AnafAuthError);
    expect((refused as AnafAuthError).oauthError).toBe('invalid_grant');

    const c = client({ tokenProvider: async () => second.accessToken });
    await expect(c.listaMesaje({ cif: SELLER, zile: 1 })).resolves.toBeInstanceOf(Array);
  });

  it('client credentials in the body work too; a wrong secret is AnafAuthError invalid_client', async () => {
    const body = new AnafOAuthClient({ ...opts(), clientAuth: 'body' });
    await expect(body.exchangeCode(await authorize(body))).resolves.toHaveProperty('accessToken');
    const wrong = new AnafOAuthClient({ ...opts(), clientSecret: 'nope' });
    const err = await wrong.exchangeCode(await authorize(wrong)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnafAuthError);
    expect((err as AnafAuthError).oauthError).toBe('invalid_client');
  });

  it('RefreshingTokenProvider refreshes before expiry and keeps the newest refresh token', async () => {
    const oauth = new AnafOAuthClient(opts());
    const initial = await oauth.exchangeCode(await authorize(oauth));
    const store = new InMemoryAnafTokenStore(initial);
    let clock = Date.now();
    const provider = new RefreshingTokenProvider(oauth, store, { refreshSkewMs: 5 * 60_000, now: () => clock });
    expect(await provider.getAccessToken()).toBe(initial.accessToken);
    clock = initial.expiresAt.getTime() - 60_000; // inside the skew window
    const [a, b] = await Promise.all([provider.getAccessToken(), provider.getAccessToken()]);
    expect(a).toBe(b); // single flight
    expect(a).not.toBe(initial.accessToken);
    const stored = (await store.load())!;
    expect(stored.accessToken).toBe(a);
    expect(stored.refreshToken).not.toBe(initial.refreshToken);
    const c = client({ tokenProvider: provider.asTokenProvider() });
    await expect(c.stareMesaj('1')).rejects.toBeInstanceOf(AnafRequestRejectedError); // authorised, unknown id
  });

  it('API call without a valid token → AnafAuthError (401)', async () => {
    const err = await client({ tokenProvider: async () => 'bogus' }).stareMesaj('1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnafAuthError);
    expect((err as AnafAuthError).status).toBe(401);
  });
});

describe('submit flow', () => {
  it('upload → in prelucrare → ok → descarcare with the invoice and a signature that verifies', async () => {
    exporter.reset();
    const c = client();
    const up = await c.upload(VALID, { cif: `RO${SELLER}`, standard: 'UBL' });
    expect(up.indexIncarcare).toMatch(/^\d+$/);
    expect(up.dateResponse).toMatch(/^\d{12}$/);
    expect(await c.stareMesaj(up.indexIncarcare)).toEqual({ stare: 'in prelucrare' });
    const st = await until(() => c.stareMesaj(up.indexIncarcare), (s) => s.stare !== 'in prelucrare');
    expect(st.stare).toBe('ok');
    const dl = await c.descarcare(st.idDescarcare!);
    expect(dl.files.map((f) => f.name).sort()).toEqual([`${up.indexIncarcare}.xml`, `semnatura_${up.indexIncarcare}.xml`]);
    expect(dl.indexIncarcare).toBe(up.indexIncarcare);
    expect(dl.invoiceXml!.equals(VALID)).toBe(true);
    expect(dl.errorReport).toBeUndefined();

    const sigXml = dl.signatureXml.toString('utf8');
    const certB64 = /<X509Certificate>([^<]+)<\/X509Certificate>/.exec(sigXml)![1]!.replace(/\s/g, '');
    expect(sim.certificatePem.replace(/-----[^-]+-----|\s/g, '')).toBe(certB64);
    const verifier = new SignedXml({ publicCert: sim.certificatePem });
    verifier.loadSignature(sigXml);
    expect(verifier.checkSignature(dl.invoiceXml!.toString('utf8'))).toBe(true);
    const tampered = new SignedXml({ publicCert: sim.certificatePem });
    tampered.loadSignature(sigXml);
    expect(tampered.checkSignature(dl.invoiceXml!.toString('utf8').replace('12115118', '99999999'))).toBe(false);

    const spans = exporter.getFinishedSpans();
    const upSpan = spans.find((s) => s.name === 'anaf.upload')!;
    expect(upSpan.attributes['anaf.index_incarcare']).toBe(up.indexIncarcare);
    expect(upSpan.attributes['anaf.cif']).toBe(SELLER);
    expect(upSpan.attributes['http.response.status_code']).toBe(200);
    expect(spans.some((s) => s.name === 'anaf.descarcare' && s.attributes['anaf.id_descarcare'] === st.idDescarcare)).toBe(true);

    const sent = await c.listaMesaje({ cif: SELLER, zile: 1, filtru: 'T' });
    expect(sent.find((m) => m.idSolicitare === up.indexIncarcare)).toMatchObject({ tip: 'FACTURA TRIMISA', id: st.idDescarcare, cifBeneficiar: BUYER });
    const received = await c.listaMesaje({ cif: BUYER, zile: 1, filtru: 'P' });
    expect(received.find((m) => m.idSolicitare === up.indexIncarcare)?.tip).toBe('FACTURA PRIMITA');
    expect(sim.uploadsFor(SELLER, '12115118')).toBeGreaterThanOrEqual(1);
  });

  it('a CIUS-RO-breaking invoice → nok → error report with rule id BR-RO-010', async () => {
    const c = client();
    const up = await c.upload(BR_RO_010, { cif: SELLER, standard: 'UBL' });
    const st = await until(() => c.stareMesaj(up.indexIncarcare), (s) => s.stare !== 'in prelucrare');
    expect(st.stare).toBe('nok');
    const dl = await c.descarcare(st.idDescarcare!);
    expect(dl.invoiceXml).toBeUndefined();
    expect(dl.errorReport!.indexIncarcare).toBe(up.indexIncarcare);
    expect(dl.errorReport!.cifEmitent).toBe(SELLER);
    expect(dl.errorReport!.errors.map((e) => e.ruleId)).toContain('BR-RO-010');
    const verifier = new SignedXml({ publicCert: sim.certificatePem });
    verifier.loadSignature(dl.signatureXml.toString('utf8'));
    expect(verifier.checkSignature(dl.errorReportXml!.toString('utf8'))).toBe(true);
    const errs = await c.listaMesaje({ cif: SELLER, zile: 1, filtru: 'E' });
    expect(errs.find((m) => m.idSolicitare === up.indexIncarcare)?.tip).toBe('ERORI FACTURA');
  });

  it('XML that is not well-formed → "XML cu erori nepreluat de sistem"', async () => {
    sim.setProcessingDelayMs(0);
    const c = client();
    const up = await c.upload('<Invoice><cbc:ID>oops', { cif: SELLER, standard: 'UBL' });
    expect(await c.stareMesaj(up.indexIncarcare)).toEqual({ stare: 'XML cu erori nepreluat de sistem' });
  });

  it('synchronous refusal (cif not numeric) → AnafUploadRefusedError with ANAF messages', async () => {
    const err = await client().upload(VALID, { cif: 'ABC', standard: 'UBL' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnafUploadRefusedError);
    expect((err as AnafUploadRefusedError).messages.join()).toMatch(/nu este un numar/);
  });

  it('validare (public endpoint): ok for the sample, nok with rule id for the mutant', async () => {
    const c = client();
    expect((await c.validare(VALID, 'FACT1')).stare).toBe('ok');
    const bad = await c.validare(BR_RO_010, 'FACT1');
    expect(bad.stare).toBe('nok');
    expect(bad.messages.map((m) => m.ruleId)).toContain('BR-RO-010');
  });

  it('paginated list walks every page (page size 3, 7 messages)', async () => {
    sim.setProcessingDelayMs(0);
    exporter.reset();
    const c = client();
    const cif = '2222222222';
    const start = new Date(Date.now() - 60_000);
    const indexes: string[] = [];
    for (let i = 0; i < 7; i++) indexes.push((await c.upload(invoiceNo(`PG-${i}`), { cif, standard: 'UBL' })).indexIncarcare);
    const all = await collect(c.listaMesajePaginatie({ cif, startTime: start, endTime: new Date(Date.now() + 1000) }));
    expect(all.map((m) => m.idSolicitare).sort()).toEqual([...indexes].sort());
    expect(all.every((m) => m.createdAt instanceof Date)).toBe(true);
    expect(exporter.getFinishedSpans().filter((s) => s.name === 'anaf.listaMesajePaginatieFactura')).toHaveLength(3);
    expect(await collect(c.listaMesajePaginatie({ cif: '3333333333', startTime: start, endTime: new Date() }))).toEqual([]);
  });

  it('upload count endpoint counts per seller CIF + BT-1 number', async () => {
    const c = client();
    await c.upload(invoiceNo('CNT-1'), { cif: SELLER, standard: 'UBL' });
    await c.upload(invoiceNo('CNT-1'), { cif: SELLER, standard: 'UBL' });
    const res = await fetch(`${sim.url}/__sim/uploads?cif=RO${SELLER}&number=CNT-1`);
    expect(await res.json()).toEqual({ count: 2 });
    expect(sim.uploadsFor(SELLER, 'CNT-2')).toBe(0);
  });
});

describe('faults → typed errors', () => {
  async function arm(endpoint: string, kind: string, times = 1) {
    const res = await fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ endpoint, kind, times }) });
    expect(res.status).toBe(200);
  }
  async function processed(c: AnafClient): Promise<{ index: string; st: StareMesajResult }> {
    sim.setProcessingDelayMs(0);
    const up = await c.upload(invoiceNo(`F-${Math.random()}`), { cif: SELLER, standard: 'UBL' });
    return { index: up.indexIncarcare, st: await c.stareMesaj(up.indexIncarcare) };
  }

  it('upload timeout-before-accept → AnafTimeoutError(outcomeUnknown), nothing recorded', async () => {
    await arm('upload', 'timeout-before-accept');
    const err = await client({ timeoutMs: 400 }).upload(invoiceNo('TB-1'), { cif: SELLER, standard: 'UBL' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnafTimeoutError);
    expect((err as AnafTimeoutError).code).toBe('ANAF_TIMEOUT');
    expect((err as AnafTimeoutError).outcomeUnknown).toBe(true);
    expect(sim.uploadsFor(SELLER, 'TB-1')).toBe(0);
  });

  it('upload timeout-after-accept → AnafTimeoutError, recorded once (never retried), visible in the list', async () => {
    sim.setProcessingDelayMs(0);
    await arm('upload', 'timeout-after-accept');
    const c = client({ timeoutMs: 400 });
    const err = await c.upload(invoiceNo('TA-1'), { cif: SELLER, standard: 'UBL' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnafTimeoutError);
    expect((err as AnafTimeoutError).outcomeUnknown).toBe(true);
    expect(sim.uploadsFor(SELLER, 'TA-1')).toBe(1);
    const msgs = await c.listaMesaje({ cif: SELLER, zile: 1, filtru: 'T' });
    expect(msgs.length).toBeGreaterThan(0);
  });

  it('upload http500 → AnafHttpError(500, outcomeUnknown), not retried', async () => {
    await arm('upload', 'http500', 5);
    const err = await client().upload(invoiceNo('H5'), { cif: SELLER, standard: 'UBL' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnafHttpError);
    expect((err as AnafHttpError).status).toBe(500);
    expect((err as AnafHttpError).outcomeUnknown).toBe(true);
    expect(sim.faults.list()[0]?.times).toBe(4); // exactly one attempt consumed
  });

  it('upload over-limit → AnafQuotaExceededError', async () => {
    await arm('upload', 'over-limit');
    await expect(client().upload(VALID, { cif: SELLER, standard: 'UBL' })).rejects.toBeInstanceOf(AnafQuotaExceededError);
  });

  it('stareMesaj http500 twice → retried and succeeds; 500 forever → AnafHttpError retryable', async () => {
    const c = client();
    const { index } = await processed(c);
    await arm('stareMesaj', 'http500', 2);
    expect((await c.stareMesaj(index)).stare).toBe('ok');
    await arm('stareMesaj', 'http500', 10);
    const err = await c.stareMesaj(index).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnafHttpError);
    expect((err as AnafHttpError).retryable).toBe(true);
    expect(sim.faults.list()[0]?.times).toBe(7); // maxAttempts = 3
  });

  it('stareMesaj timeout once → retried (reads are idempotent)', async () => {
    const c = client({ timeoutMs: 300 });
    const { index } = await processed(c);
    await arm('stareMesaj', 'timeout-before-accept');
    expect((await c.stareMesaj(index)).stare).toBe('ok');
  });

  it('stareMesaj http204 → AnafQuotaExceededError; http429 → AnafHttpError(429)', async () => {
    const c = client();
    const { index } = await processed(c);
    await arm('stareMesaj', 'http204');
    await expect(c.stareMesaj(index)).rejects.toBeInstanceOf(AnafQuotaExceededError);
    await arm('stareMesaj', 'http429', 3);
    const err = await c.stareMesaj(index).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnafHttpError);
    expect((err as AnafHttpError).status).toBe(429);
  });

  it('stareMesaj stuck → stays "in prelucrare"', async () => {
    const c = client();
    const { index } = await processed(c);
    await arm('stareMesaj', 'stuck', 2);
    expect((await c.stareMesaj(index)).stare).toBe('in prelucrare');
    expect((await c.stareMesaj(index)).stare).toBe('in prelucrare');
    expect((await c.stareMesaj(index)).stare).toBe('ok');
  });

  it('descarcare over-limit and lista over-limit → AnafQuotaExceededError (source anaf)', async () => {
    const c = client();
    const { st } = await processed(c);
    await arm('descarcare', 'over-limit');
    const e1 = await c.descarcare(st.idDescarcare!).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(AnafQuotaExceededError);
    expect((e1 as AnafQuotaExceededError).limit).toBe(10);
    await arm('lista', 'over-limit');
    const e2 = await c.listaMesaje({ cif: SELLER, zile: 1 }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(AnafQuotaExceededError);
    expect((e2 as AnafQuotaExceededError).source).toBe('anaf');
  });

  it('descarcare of an unknown id → AnafRequestRejectedError', async () => {
    await expect(client().descarcare('999')).rejects.toBeInstanceOf(AnafRequestRejectedError);
  });

  it('token http500 → AnafHttpError from the OAuth client', async () => {
    await arm('token', 'http500');
    const oauth = new AnafOAuthClient({ oauthBaseUrl: `${sim.url}/anaf-oauth2/v1`, clientId: 'cetate-app', clientSecret: 's3cret', redirectUri: 'https://x/cb' });
    const err = await oauth.refresh('whatever').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnafHttpError);
    expect((err as AnafHttpError).status).toBe(500);
  });

  it('repeated 5xx open the circuit → AnafCircuitOpenError without calling ANAF', async () => {
    const c = client({ retry: { maxAttempts: 1 }, breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 } });
    await arm('descarcare', 'http500', 100);
    await expect(c.descarcare('1')).rejects.toBeInstanceOf(AnafHttpError);
    await expect(c.descarcare('1')).rejects.toBeInstanceOf(AnafHttpError);
    const left = sim.faults.list()[0]!.times;
    await expect(c.descarcare('1')).rejects.toBeInstanceOf(AnafCircuitOpenError);
    expect(sim.faults.list()[0]!.times).toBe(left);
    expect(c.circuitState('descarcare')).toBe('open');
  });
});

describe('daily quotas', () => {
  it('stareMesaj over ANAF limit → AnafQuotaExceededError; the ledger stops at 100 (the 2026 ANAF limit) and resets on the Bucharest day', async () => {
    // Own simulator and ledger sharing a movable clock.
    let offset = 0;
    const now = () => Date.now() + offset;
    const s = await startAnafSimulator({ processingDelayMs: 0, now });
    try {
      const t = await s.issueAccessToken();
      const ledger = new InMemoryQuotaLedger({}, now);
      const base = { apiBaseUrl: `${s.url}/test/FCTEL/rest`, tokenProvider: async () => t, breaker: { enabled: false } };
      const guarded = new AnafClient({ ...base, quota: ledger });
      const raw = new AnafClient(base);
      clients.push(guarded, raw);
      const { indexIncarcare } = await guarded.upload(VALID, { cif: SELLER, standard: 'UBL' });
      for (let i = 0; i < 100; i++) expect((await guarded.stareMesaj(indexIncarcare)).stare).toBe('ok');
      expect(ledger.remaining('stareMesaj', indexIncarcare)).toBe(0);
      const fromLedger = await guarded.stareMesaj(indexIncarcare).catch((e: unknown) => e);
      expect(fromLedger).toBeInstanceOf(AnafQuotaExceededError);
      expect((fromLedger as AnafQuotaExceededError).source).toBe('ledger');
      // ANAF itself saw exactly 100 calls: the next real call is over its limit.
      const fromAnaf = await raw.stareMesaj(indexIncarcare).catch((e: unknown) => e);
      expect(fromAnaf).toBeInstanceOf(AnafQuotaExceededError);
      expect((fromAnaf as AnafQuotaExceededError).source).toBe('anaf');
      expect((fromAnaf as AnafQuotaExceededError).limit).toBe(100);
      offset += 86_400_000; // next Europe/Bucharest day
      expect((await guarded.stareMesaj(indexIncarcare)).stare).toBe('ok');
      expect(ledger.remaining('stareMesaj', indexIncarcare)).toBe(99);
    } finally {
      await s.close();
    }
  });
});
