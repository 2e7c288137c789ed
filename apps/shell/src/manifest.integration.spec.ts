import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchManifest, ManifestError } from './manifest.js';

/**
 * fetchManifest against a real HTTP server that answers like platform-api's `GET /v1/shell/manifest` does
 * (200 manifest, 404 problem+json TENANT_NOT_FOUND, 503, non-JSON), and against a closed port.
 */
const manifest = {
  tenant: { slug: 'demo', displayName: 'Demo SRL' },
  identity: { url: 'http://127.0.0.1:8090', realm: 'demo', clientId: 'cetate-shell' },
  modules: [],
};
let server: Server;
let base = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const tenant = new URL(req.url ?? '/', 'http://x').searchParams.get('tenant');
    if (tenant === 'demo') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(manifest));
    } else if (tenant === 'down') {
      res.writeHead(503).end();
    } else if (tenant === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    } else {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'TENANT_NOT_FOUND', status: 404 }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const at = (origin: string): typeof fetch => ((url: string, init?: RequestInit) => fetch(`${origin}${url}`, init)) as typeof fetch;

async function codeOf(slug: string, origin = base): Promise<string> {
  try {
    await fetchManifest(slug, at(origin));
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return `${(error as ManifestError).code} ${(error as ManifestError).status}`;
  }
}

describe('fetchManifest over HTTP', () => {
  it('returns the checked manifest of an active tenant from /api/platform/v1/shell/manifest', async () => {
    expect(await fetchManifest('demo', at(base))).toEqual(manifest);
    expect(seen).toContain('/api/platform/v1/shell/manifest?tenant=demo');
  });

  it('maps the answers to typed errors', async () => {
    expect(await codeOf('ghost')).toBe('TENANT_NOT_FOUND 404');
    expect(await codeOf('down')).toBe('MANIFEST_UNAVAILABLE 503');
    expect(await codeOf('html')).toBe('MANIFEST_INVALID 200');
  });

  it('reports an unreachable platform as MANIFEST_UNAVAILABLE with status 0', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await codeOf('demo', `http://127.0.0.1:${port}`)).toBe('MANIFEST_UNAVAILABLE 0');
  });
});
