/**
 * The dev gateway: the web shell, every module remote and every module API behind ONE origin (issue 6 point 4,
 * "Serving"), so the browser needs no CORS for anything but the identity server.
 *
 * | path | goes to |
 * |---|---|
 * | `/api/<module>/...` | `apis[module]` with `/api/<module>` stripped (`/api/invoicing/v1/invoices?x` → `<url>/v1/invoices?x`), body streamed, `Authorization` kept, `X-Forwarded-*` added |
 * | `/remotes/<name>/...` | `remotes[name]`: a build directory (static) or an `http(s)://` URL (proxied, prefix stripped) |
 * | anything else | the shell's build directory, SPA fallback to `index.html` for extension-less paths |
 *
 * Cache headers (static files): names carrying a content hash (`main.1a2b3c4d.js`, Rsbuild's default
 * `[name].[contenthash:8]`) are `public, max-age=31536000, immutable`; everything else (`index.html`,
 * `mf-manifest.json`, `remoteEntry.js`, the SPA fallback) is `no-cache` with an `ETag` (revalidated, 304).
 * Files are looked up per request (sirv `dev` mode) so a rebuild is served without restarting the gateway.
 *
 * Errors are RFC 9457 `application/problem+json`: 502 `UPSTREAM_UNAVAILABLE` when an API or a proxied remote
 * does not answer, 404 `NOT_FOUND` for an unknown module or remote or a missing file, 503 `UI_NOT_BUILT` when the
 * shell's `index.html` is missing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createProxyServer } from 'http-proxy-3';
import sirv from 'sirv';

/** Options of {@link startGateway}. */
export interface GatewayOptions {
  /** TCP port; `0` picks a free one. The launcher uses `GATEWAY_PORT` (default 8080). */
  port: number;
  /** Bind address; default `127.0.0.1` (Chromium resolves `*.localhost` to loopback, RFC 6761 §6.3). */
  host?: string;
  /** Module API base URLs by module name: `{ invoicing: 'http://127.0.0.1:3100', platform: 'http://127.0.0.1:3200' }`. */
  apis: Record<string, string>;
  /**
   * Remotes by name: a directory (`apps/invoicing-ui/dist`, served statically) or an `http(s)://` origin (the
   * remote's own static server, proxied, e.g. `http://127.0.0.1:8101`) so that remote can be stopped alone.
   */
  remotes: Record<string, string>;
  /** The shell's build directory (`apps/shell/dist`); `index.html` is its SPA fallback. */
  shellDir: string;
  /** Idle time in ms on an upstream socket before a 502 (default 60 000; an SSE stream needs a heartbeat below it). */
  proxyTimeoutMs?: number;
}

/** A running gateway. */
export interface RunningGateway {
  /** `http://<host>:<port>`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** RFC 9457 media type. */
const PROBLEM_JSON = 'application/problem+json';
/** A content hash in a file name (`.1a2b3c4d.` before the extension, 8+ hex digits). */
const HASHED_ASSET = /[.-][0-9a-f]{8,}\.[a-z0-9]+$/i;
const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Cache-Control of a static file, by its URL path: hashed names are immutable for a year (RFC 8246), anything
 * else must be revalidated (`no-cache`, RFC 9111 §5.2.2.4) so a new build is picked up at once.
 */
export function cacheControlFor(pathname: string): string {
  return HASHED_ASSET.test(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

function sendProblem(res: ServerResponse, status: number, code: string, title: string, detail: string, instance: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({
    type: `https://cetate.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    detail,
    instance,
    code,
    traceId: randomBytes(16).toString('hex'),
  });
  res.writeHead(status, { 'content-type': PROBLEM_JSON, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

const isUrl = (v: string) => /^https?:\/\//i.test(v);

/** `/prefix/rest?q` → `/rest?q` (at least `/`). */
function stripPrefix(rawUrl: string, prefix: string): string {
  const rest = rawUrl.slice(prefix.length);
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

function staticHandler(dir: string, spa: boolean): ReturnType<typeof sirv> {
  return sirv(dir, {
    dev: true, // look files up per request: a rebuild is served without a restart
    etag: true,
    single: spa,
    setHeaders: (res, pathname) => res.setHeader('cache-control', cacheControlFor(pathname)),
  });
}

/**
 * Starts the gateway (see the module docstring for routes, cache headers and errors).
 * @throws when the port is taken (`EADDRINUSE`) or a name of `apis`/`remotes` is not `[a-z][a-z0-9-]*`.
 */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  for (const name of [...Object.keys(opts.apis), ...Object.keys(opts.remotes)]) {
    if (!NAME.test(name)) throw new Error(`gateway: module or remote name "${name}" must match ${NAME.source}`);
  }
  const proxy = createProxyServer({ xfwd: true, proxyTimeout: opts.proxyTimeoutMs ?? 60_000 });
  // An upstream that is down (ECONNREFUSED), resets or times out: 502 problem+json, or cut the response when
  // its head was already sent.
  const upstreamError = (what: string) => (err: Error, req: IncomingMessage, res: ServerResponse | import('node:net').Socket) => {
    if (!('writeHead' in res)) return void res.destroy();
    sendProblem(res, 502, 'UPSTREAM_UNAVAILABLE', 'Bad Gateway', `${what} did not answer (${(err as NodeJS.ErrnoException).code ?? err.message})`, req.url ?? '/');
  };
  proxy.on('error', (err, req, res) => upstreamError('upstream')(err, req, res));

  const remotes = new Map(
    Object.entries(opts.remotes).map(([name, where]) => [
      name,
      isUrl(where) ? { url: where.replace(/\/+$/, '') } : { handler: staticHandler(where, false) },
    ]),
  );
  const shell = staticHandler(opts.shellDir, true);

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const rawUrl = req.url ?? '/';
    const path = rawUrl.split('?')[0]!;
    const api = /^\/api\/([^/?]+)(?:\/|$)/.exec(path);
    if (api) {
      const target = opts.apis[api[1]!];
      if (!target) return sendProblem(res, 404, 'NOT_FOUND', 'Not Found', `no module API named ${api[1]}`, path);
      req.url = stripPrefix(rawUrl, `/api/${api[1]}`);
      proxy.web(req, res, { target }, upstreamError(`module API ${api[1]} (${target})`));
      return;
    }
    const remote = /^\/remotes\/([^/?]+)(?:\/|$)/.exec(path);
    if (remote) {
      const r = remotes.get(remote[1]!);
      if (!r) return sendProblem(res, 404, 'NOT_FOUND', 'Not Found', `no remote named ${remote[1]}`, path);
      req.url = stripPrefix(rawUrl, `/remotes/${remote[1]}`);
      // Remotes are public static files; allowing any origin lets a shell served elsewhere (dev server) load them.
      res.setHeader('access-control-allow-origin', '*');
      if ('url' in r) {
        proxy.web(req, res, { target: r.url }, upstreamError(`remote ${remote[1]} (${r.url})`));
        return;
      }
      r.handler(req, res, () => sendProblem(res, 404, 'NOT_FOUND', 'Not Found', `remote ${remote[1]} has no file ${req.url}`, path));
      return;
    }
    shell(req, res, () => {
      if (!existsSync(join(opts.shellDir, 'index.html'))) {
        return sendProblem(res, 503, 'UI_NOT_BUILT', 'Service Unavailable', `the shell is not built (${opts.shellDir}/index.html missing): npx nx run-many -t build`, path);
      }
      sendProblem(res, 404, 'NOT_FOUND', 'Not Found', `no file ${path}`, path);
    });
  };

  return listen(createServer(handle), opts.port, opts.host, () => proxy.close());
}

/**
 * Listens on `port` (0 = random) and `host` (default 127.0.0.1); `close()` stops accepting, drops open
 * connections and then runs `onClose`. @throws the listen error (e.g. port taken).
 */
async function listen(server: Server, port: number, host = '127.0.0.1', onClose: () => void = () => undefined): Promise<RunningGateway> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
        onClose();
      }),
  };
}

/** Options of {@link startStaticServer}. */
export interface StaticServerOptions {
  /** Build directory, e.g. `apps/invoicing-ui/dist`. */
  dir: string;
  port: number;
  host?: string;
}

/**
 * A remote served alone (issue 6: "each remote can also be served and deployed alone"): its build directory with
 * the gateway's cache headers and `Access-Control-Allow-Origin: *` (the shell on another origin fetches
 * `mf-manifest.json` and chunks cross-origin). The gateway can proxy `/remotes/<name>` to it (`remotes: { name:
 * url }`), so a test can stop just this server. 404 problem+json for a missing file.
 */
export async function startStaticServer(opts: StaticServerOptions): Promise<RunningGateway> {
  const files = staticHandler(opts.dir, false);
  const server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    files(req, res, () => sendProblem(res, 404, 'NOT_FOUND', 'Not Found', `no file ${req.url}`, req.url ?? '/'));
  });
  return listen(server, opts.port, opts.host);
}
