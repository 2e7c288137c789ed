/**
 * The dev gateway over real HTTP: two tiny HTTP servers play the module APIs, temp directories play the build
 * output of the shell and the remotes. Routing, prefix stripping, streamed bodies and the Authorization header,
 * 502 problem+json for an API that is down, SPA fallback, a remote's mf-manifest.json, cache headers, and a
 * remote served by its own static server that is stopped and started again.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheControlFor, startGateway, startStaticServer, type RunningGateway } from './gateway.js';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  forwardedHost?: string;
  body: string;
}

let dir: string;
let gw: RunningGateway;
let invoicingRemote: RunningGateway;
const seen: Record<string, Seen[]> = { invoicing: [], platform: [] };
const apis: Server[] = [];
let deadPort = 0;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function fakeApi(name: string): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen[name]!.push({
        method: req.method!,
        url: req.url!,
        authorization: req.headers.authorization,
        forwardedHost: req.headers['x-forwarded-host'] as string | undefined,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ api: name, url: req.url, bytes: Buffer.concat(chunks).length }));
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cetate-gateway-'));
  const shellDir = join(dir, 'shell');
  await mkdir(join(shellDir, 'static/js'), { recursive: true });
  await writeFile(join(shellDir, 'index.html'), '<!doctype html><title>shell</title><div id="root"></div>');
  await writeFile(join(shellDir, 'static/js/index.1a2b3c4d.js'), 'console.log("shell")');
  for (const r of ['invoicing', 'admin']) {
    await mkdir(join(dir, r, 'static/js'), { recursive: true });
    await writeFile(join(dir, r, 'mf-manifest.json'), JSON.stringify({ id: r, name: r }));
    await writeFile(join(dir, r, 'remoteEntry.js'), `/* ${r} entry */`);
    await writeFile(join(dir, r, 'static/js/app.deadbeef.js'), `/* ${r} app */`);
  }
  const inv = fakeApi('invoicing');
  const plat = fakeApi('platform');
  apis.push(inv, plat);
  const invPort = await listen(inv);
  const platPort = await listen(plat);
  // A port nobody listens on: bind, read the port, close.
  const tmp = createServer();
  deadPort = await listen(tmp);
  await new Promise((r) => tmp.close(r));

  invoicingRemote = await startStaticServer({ dir: join(dir, 'invoicing'), port: 0 });
  gw = await startGateway({
    port: 0,
    apis: { invoicing: `http://127.0.0.1:${invPort}`, platform: `http://127.0.0.1:${platPort}`, down: `http://127.0.0.1:${deadPort}` },
    remotes: { invoicing: invoicingRemote.url, admin: join(dir, 'admin') },
    shellDir,
  });
});

afterAll(async () => {
  await gw?.close();
  await invoicingRemote?.close().catch(() => undefined);
  for (const s of apis) await new Promise((r) => s.close(r));
  await rm(dir, { recursive: true, force: true });
});

describe('gateway: module APIs', () => {
  it('routes /api/<module>/* to that API with the prefix stripped, query and Authorization kept', async () => {
    const res = await fetch(`${gw.url}/api/invoicing/v1/invoices?state=draft&limit=5`, { headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ api: 'invoicing', url: '/v1/invoices?state=draft&limit=5', bytes: 0 });
    const last = seen.invoicing!.at(-1)!;
    expect(last).toMatchObject({ method: 'GET', url: '/v1/invoices?state=draft&limit=5', authorization: 'Bearer abc.def.ghi' });
    expect(last.forwardedHost).toMatch(/^127\.0\.0\.1:\d+$/);

    const p = await fetch(`${gw.url}/api/platform/v1/shell/manifest?tenant=demo`);
    expect(await p.json()).toMatchObject({ api: 'platform', url: '/v1/shell/manifest?tenant=demo' });
    const root = await fetch(`${gw.url}/api/platform`);
    expect(await root.json()).toMatchObject({ api: 'platform', url: '/' });
  });

  it('streams a request body through unchanged (1 MB POST)', async () => {
    const body = 'x'.repeat(1024 * 1024);
    const res = await fetch(`${gw.url}/api/invoicing/v1/invoices`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(await res.json()).toMatchObject({ url: '/v1/invoices', bytes: body.length });
    expect(seen.invoicing!.at(-1)!.body).toBe(body);
  });

  it('answers 502 problem+json when a module API is down, 404 problem+json for an unknown module', async () => {
    const res = await fetch(`${gw.url}/api/down/v1/x`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const p = (await res.json()) as Record<string, unknown>;
    expect(p).toMatchObject({ status: 502, code: 'UPSTREAM_UNAVAILABLE', title: 'Bad Gateway' });
    expect(String(p.detail)).toContain('ECONNREFUSED');
    expect(p.traceId).toMatch(/^[0-9a-f]{32}$/);

    const unknown = await fetch(`${gw.url}/api/nope/v1/x`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('NOT_FOUND');
  });
});

describe('gateway: shell and remotes', () => {
  it('serves the shell with SPA fallback to index.html (no-cache), and 404 for a missing asset', async () => {
    for (const path of ['/', '/facturi', '/facturi/123/editare']) {
      const res = await fetch(`${gw.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<title>shell</title>');
    }
    const missing = await fetch(`${gw.url}/static/js/missing.12345678.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });

  it('serves hashed assets immutable and revalidates with ETag (304)', async () => {
    const res = await fetch(`${gw.url}/static/js/index.1a2b3c4d.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${gw.url}/static/js/index.1a2b3c4d.js`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it("serves a remote's mf-manifest.json from its dist directory (no-cache) and its hashed chunks (immutable)", async () => {
    const res = await fetch(`${gw.url}/remotes/admin/mf-manifest.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toEqual({ id: 'admin', name: 'admin' });
    const chunk = await fetch(`${gw.url}/remotes/admin/static/js/app.deadbeef.js`);
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await chunk.text()).toBe('/* admin app */');
    // no SPA fallback inside a remote
    expect((await fetch(`${gw.url}/remotes/admin/some/route`)).status).toBe(404);
    expect((await fetch(`${gw.url}/remotes/unknown/mf-manifest.json`)).status).toBe(404);
  });

  it('proxies a remote served by its own static server; stopping it gives 502, starting it again serves again', async () => {
    const ok = await fetch(`${gw.url}/remotes/invoicing/mf-manifest.json`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: 'invoicing', name: 'invoicing' });
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');

    const port = invoicingRemote.port;
    await invoicingRemote.close();
    const down = await fetch(`${gw.url}/remotes/invoicing/mf-manifest.json`);
    expect(down.status).toBe(502);
    expect(((await down.json()) as { code: string }).code).toBe('UPSTREAM_UNAVAILABLE');
    // the admin remote and the shell keep working
    expect((await fetch(`${gw.url}/remotes/admin/mf-manifest.json`)).status).toBe(200);
    expect((await fetch(`${gw.url}/facturi`)).status).toBe(200);

    invoicingRemote = await startStaticServer({ dir: join(dir, 'invoicing'), port });
    const back = await fetch(`${gw.url}/remotes/invoicing/remoteEntry.js`);
    expect(back.status).toBe(200);
    expect(await back.text()).toBe('/* invoicing entry */');
  });

  it('picks up a rebuilt file without a restart', async () => {
    await writeFile(join(dir, 'admin', 'mf-manifest.json'), JSON.stringify({ id: 'admin', name: 'admin', build: 2 }));
    expect(await (await fetch(`${gw.url}/remotes/admin/mf-manifest.json`)).json()).toMatchObject({ build: 2 });
  });

  it('answers 503 UI_NOT_BUILT when the shell has no build', async () => {
    const empty = await startGateway({ port: 0, apis: {}, remotes: {}, shellDir: join(dir, 'no-such-dist') });
    try {
      const res = await fetch(`${empty.url}/`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { code: string }).code).toBe('UI_NOT_BUILT');
    } finally {
      await empty.close();
    }
  });
});

describe('cacheControlFor', () => {
  it('treats content-hashed names as immutable, anything else as no-cache', () => {
    expect(cacheControlFor('/static/js/async/123.a1b2c3d4.js')).toMatch(/immutable/);
    expect(cacheControlFor('/static/css/index.0011aabb.css')).toMatch(/immutable/);
    expect(cacheControlFor('/mf-manifest.json')).toBe('no-cache');
    expect(cacheControlFor('/remoteEntry.js')).toBe('no-cache');
    expect(cacheControlFor('/index.html')).toBe('no-cache');
  });
});
