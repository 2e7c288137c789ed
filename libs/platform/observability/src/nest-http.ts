import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import express from 'express';
import type { Logger } from 'pino';
import { traceRequests } from './http-tracing.js';
import { ProblemDetailsFilter, problemDetailsErrorHandler } from './problem-details.filter.js';

/** Options of {@link serveHttp}. */
export interface ServeHttpOptions {
  /** TCP port (0 = random). */
  port: number;
  /** Interface; default `127.0.0.1`. */
  host?: string;
  log: Logger;
  /** Largest JSON body, express syntax (e.g. `1mb`); bigger bodies get 413 problem+json. */
  jsonLimit: string;
  /** More body parsers, mounted after the JSON one (e.g. `express.raw` for XML on one route). */
  bodyParsers?: (app: INestApplication) => void;
}

/**
 * Serves a Nest app (created with `bodyParser: false`) the way every Cetate HTTP API does: a SERVER span and
 * trace id per request (`traceRequests`), JSON bodies up to `jsonLimit`, errors as RFC 9457 problem+json with
 * `traceId` (Nest filter for handler errors, express handler for body-parser errors), then listens.
 * @returns the base URL, e.g. `http://127.0.0.1:3100`. @throws the listen error (port taken).
 */
export async function serveHttp(app: INestApplication, o: ServeHttpOptions): Promise<string> {
  const host = o.host ?? '127.0.0.1';
  app.use(traceRequests());
  app.use(express.json({ limit: o.jsonLimit, type: ['application/json', 'application/*+json'] }));
  o.bodyParsers?.(app);
  app.useGlobalFilters(new ProblemDetailsFilter(o.log));
  await app.init();
  app.use(problemDetailsErrorHandler(o.log));
  await app.listen(o.port, host);
  const addr = (app.getHttpServer() as Server).address();
  return `http://${host}:${typeof addr === 'object' && addr ? addr.port : o.port}`;
}
