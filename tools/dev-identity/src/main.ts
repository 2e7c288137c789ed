/**
 * Standalone dev identity server.
 *
 * Env: `DEV_IDENTITY_PORT` (default 8090), `DEV_IDENTITY_HOST` (default 127.0.0.1),
 * `DEV_IDENTITY_SEED` (path of a `{ "realms": [...] }` JSON file; default `src/seed/demo.json`).
 * Stops on SIGINT/SIGTERM.
 */
import { startDevIdentity } from './server.js';
import { DEFAULT_SEED_PATH, loadSeedFile } from './seed-file.js';

const port = Number(process.env['DEV_IDENTITY_PORT'] ?? 8090);
const host = process.env['DEV_IDENTITY_HOST'] ?? '127.0.0.1';
const seedPath = process.env['DEV_IDENTITY_SEED'] || DEFAULT_SEED_PATH;

const realms = await loadSeedFile(seedPath);
const server = await startDevIdentity({ port, host, realms });
console.log(`[dev-identity] listening on ${server.url} (seed ${seedPath})`);
for (const name of server.realmNames()) {
  console.log(`[dev-identity]   realm ${name}: ${server.issuer(name)}/.well-known/openid-configuration`);
}

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
