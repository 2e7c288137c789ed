import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy forwarded: method and path with query (e.g. `GET /cetate-acme?list-type=2`). */
export interface ProxiedRequest {
  method: string;
  url: string;
}

/** A running {@link startRequestCountingProxy}. */
export interface RequestCountingProxy {
  /** Listening port on 127.0.0.1. */
  port: number;
  /** Every request forwarded so far, in arrival order. */
  readonly requests: ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * Test helper: an HTTP proxy on 127.0.0.1 (random port) that forwards every request to
 * `127.0.0.1:targetPort` unchanged (path-style S3 requests, headers and body as sent, so SigV4 signatures
 * stay valid) and records it. Used to prove that a refused storage call sent nothing to the server.
 */
export async function startRequestCountingProxy(targetPort: number): Promise<RequestCountingProxy> {
  const requests: ProxiedRequest[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
