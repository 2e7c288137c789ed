/**
 * Standalone dev identity server.
 *
 * Env: `DEV_IDENTITY_PORT` (default 8090), `DEV_IDENTITY_HOST` (default 127.0.0.1),
 * `DEV_IDENTITY_SEED` (path of a `{ "realms": [...] }` JSON file; default `src/seed/demo.json`),
 * `DEV_IDENTITY_DATABASE_URL` (default: `DATABASE_URL` with database `cetate_identity`),
 * `DEV_IDENTITY_DB_KEY` (base64 32 bytes; dev default), `DEV_IDENTITY_ADMIN_SECRET` (default
 * `cetate-provisioner-secret`), `DEV_IDENTITY_ADMIN_PASSWORD` (default `admin`).
 * Stops on SIGINT/SIGTERM.
 */
import { startDevIdentity } from './server.js';
import { DEFAULT_SEED_PATH, loadSeedFile } from './seed-file.js';
import { identityDatabaseUrlFromEnv } from './store.js';

const port = Number(process.env['DEV_IDENTITY_PORT'] ?? 8090);
const host = process.env['DEV_IDENTITY_HOST'] ?? '127.0.0.1';
const seedPath = process.env['DEV_IDENTITY_SEED'] || DEFAULT_SEED_PATH;
const databaseUrl = identityDatabaseUrlFromEnv();

const realms = await loadSeedFile(seedPath);
const server = await startDevIdentity({ port, host, realms, databaseUrl });
const shown = new URL(databaseUrl);
shown.password = '';
console.log(`[dev-identity] listening on ${server.url} (seed ${seedPath}, database ${shown.toString()})`);
for (const name of await server.realmNames()) {
  console.log(`[dev-identity]   realm ${name}: ${server.issuer(name)}/.well-known/openid-configuration`);
}
console.log(`[dev-identity]   admin API: ${server.url}/admin/realms (client ${server.admin.clientId} of realm master)`);

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
