/**
 * A remote's own static server for the UI tests: serves one app's `dist` (sirv) on 127.0.0.1, and can be stopped
 * and started again on the same port, which is how the tests take the invoicing remote down and bring it back
 * (issue 6: "stop the invoicing remote's server and see the shell show its fallback ... then start it and retry").
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import sirv from 'sirv';

/** A running (or stopped) static site; `url` stays the same across `stop()`/`start()`. */
export interface StaticSite {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Whether it is listening now. */
  readonly running: boolean;
  /** Closes the listener and destroys open connections (a request after this is refused: ECONNREFUSED). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/**
 * Serves `dir` with `Access-Control-Allow-Origin: *` (a remote's `mf-manifest.json` and chunks may be fetched by
 * a shell on another origin) and `Cache-Control: no-store` (a stopped server must not be hidden by the browser's
 * cache). `port` 0 (default) picks a free one at the first start.
 */
export async function startStaticSite(dir: string, port = 0): Promise<StaticSite> {
  const serve = sirv(dir, { dev: true, etag: false, dotfiles: false });
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let bound = port;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((req, res) => {
        res.setHeader('access-control-allow-origin', '*');
        res.setHeader('cache-control', 'no-store');
        serve(req, res, () => {
          res.statusCode = 404;
          res.end('not found');
        });
      });
      s.on('connection', (c) => {
        sockets.add(c);
        c.on('close', () => sockets.delete(c));
      });
      s.once('error', reject);
      s.listen(bound, '127.0.0.1', () => {
        bound = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });
  await listen();
  const site: StaticSite = {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    get running() {
      return server !== undefined;
    },
    async stop() {
      const s = server;
      if (!s) return;
      server = undefined;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      for (const c of sockets) c.destroy();
      await closed;
    },
    async start() {
      if (!server) await listen();
    },
  };
  return site;
}
