/**
 * `npm start`: the local platform in one command.
 *
 * Starts the embedded defaults (S3 server, dev identity server, ANAF simulator) unless their variables
 * point at real services, provisions the demo tenant with the provisioning saga, then starts `platform-api`,
 * `invoicing-api`, `worker-anaf`, `documents-api` and `worker-ocr` as child processes. Meanwhile it builds the UI apps (`apps/shell`,
 * `apps/invoicing-ui`, `apps/admin-ui`) whose sources changed since their last build, then serves them and the
 * APIs on one origin through the dev gateway (`./gateway.ts`, in this process, `GATEWAY_PORT` 8080) and prints
 * the URLs (the one to open on the line beginning with `shell`) and the demo credentials. A UI app that does not
 * exist or does not build is reported and the UI is skipped; the APIs still start. Ctrl-C (SIGINT) or SIGTERM
 * stops every process it started. Exit code 1 when something does not come up (its output says what).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { readStackConfig } from './config.js';
import { DEMO_TENANT, provisionDemoTenant } from './bootstrap.js';
import { distDir, ensureUiBuilt, needsBuild, REPO_ROOT, UI_APPS } from './ui-build.js';
import { startGateway, type RunningGateway } from './gateway.js';
import { httpOk, portOpen, ProcessGroup, waitUntil } from './process-group.js';

const t0 = Date.now();
const cfg = readStackConfig();
const group = new ProcessGroup();
/** Run TypeScript entries in ONE node process (tsx as a loader, no wrapper process), so a signal reaches the app itself. */
const tsx = ['--import', 'tsx'];
const node = process.execPath;
let stopping = false;
let gateway: RunningGateway | undefined;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    process.stdout.write('stopping the platform ...\n');
    await gateway?.close().catch(() => undefined);
    await group.stopAll();
    process.stdout.write('stopped.\n');
  }
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

async function ensureFree(port: number, what: string): Promise<void> {
  if (await portOpen(port)) {
    throw new Error(`port ${port} (${what}) is already in use: is the platform already running? Stop it, or set another port.`);
  }
}

/**
 * Builds the UI apps whose `dist` is missing or older than their sources (`needsBuild`: newest mtime of
 * `apps/<app>/src/**`, `rsbuild.config.ts`, `index.html`, `libs/shared/ui/src` versus `dist/index.html`) with
 * `node_modules/.bin/rsbuild build` in the app directory, one at a time. Resolves `{ skipped: reason }` instead of
 * failing when an app has no `rsbuild.config.ts` yet or its build fails, so the platform still starts.
 */
async function prepareUi(): Promise<{ built: string[] } | { skipped: string }> {
  const missing = UI_APPS.filter((app) => !existsSync(join(REPO_ROOT, 'apps', app, 'rsbuild.config.ts')));
  if (missing.length) return { skipped: `${missing.map((a) => `apps/${a}/rsbuild.config.ts`).join(', ')} missing` };
  const stale: string[] = [];
  for (const app of UI_APPS) if (await needsBuild(app)) stale.push(app);
  if (stale.length) process.stdout.write(`building UI apps whose sources changed: ${stale.join(', ')} (rsbuild)\n`);
  try {
    const built = await ensureUiBuilt();
    const noOutput = UI_APPS.filter((app) => !existsSync(join(distDir(app), app === 'shell' ? 'index.html' : 'mf-manifest.json')));
    if (noOutput.length) return { skipped: `no build output in ${noOutput.map((a) => `apps/${a}/dist`).join(', ')}` };
    return { built };
  } catch (err) {
    return { skipped: `build failed: ${(err as Error).message.split('\n').slice(0, 12).join('\n    ')}` };
  }
}

try {
  const s3Endpoint = cfg.s3Endpoint ?? `http://127.0.0.1:${cfg.s3Port}`;
  const keycloakUrl = cfg.keycloakUrl ?? `http://127.0.0.1:${cfg.identityPort}`;
  const simUrl = `http://127.0.0.1:${cfg.anafSimPort}`;
  const anafBaseUrl = cfg.anafBaseUrl ?? `${simUrl}/test/FCTEL/rest`;
  const anafOAuthUrl = cfg.anafOAuthUrl ?? (!cfg.anafBaseUrl ? `${simUrl}/anaf-oauth2/v1` : 'https://logincert.anaf.ro/anaf-oauth2/v1');
  const usingSim = !cfg.anafBaseUrl;
  await ensureFree(cfg.apiPort, 'INVOICING_API_PORT');
  await ensureFree(cfg.platformApiPort, 'PLATFORM_API_PORT');
  await ensureFree(cfg.documentsApiPort, 'DOCUMENTS_API_PORT');
  await ensureFree(cfg.gatewayPort, 'GATEWAY_PORT');
  // The UI builds (seconds, one core) while the embedded services start and the demo tenant is provisioned.
  const ui = cfg.skipUi
    ? Promise.resolve({ skipped: 'CETATE_SKIP_UI=1' } as const)
    : prepareUi().catch((err: unknown) => ({ skipped: `build check failed: ${(err as Error).message}` }));

  const embedded: Promise<void>[] = [];
  if (!cfg.s3Endpoint) {
    await ensureFree(cfg.s3Port, 'S3_PORT');
    const p = group.start('s3', node, [...tsx, 'tools/dev-stack/src/s3-main.ts'], { S3_PORT: String(cfg.s3Port), CETATE_DATA_DIR: cfg.dataDir });
    embedded.push(waitUntil('embedded S3 server', () => portOpen(cfg.s3Port), { proc: p }));
  }
  if (!cfg.keycloakUrl) {
    await ensureFree(cfg.identityPort, 'DEV_IDENTITY_PORT');
    const p = group.start('dev-identity', node, [...tsx, 'tools/dev-identity/src/main.ts'], { DEV_IDENTITY_PORT: String(cfg.identityPort) });
    embedded.push(waitUntil('dev identity server', () => httpOk(`${keycloakUrl}/realms/demo/.well-known/openid-configuration`), { proc: p }));
  }
  if (usingSim) {
    await ensureFree(cfg.anafSimPort, 'ANAF_SIM_PORT');
    const p = group.start('anaf-sim', node, [...tsx, 'tools/anaf-sim/src/main.ts'], { ANAF_SIM_PORT: String(cfg.anafSimPort) });
    embedded.push(waitUntil('ANAF simulator', () => portOpen(cfg.anafSimPort), { proc: p }));
  }
  await Promise.all(embedded);

  const appEnv: Record<string, string> = {
    DATABASE_URL: cfg.databaseUrl,
    AMQP_URL: cfg.amqpUrl,
    S3_ENDPOINT: s3Endpoint,
    S3_ACCESS_KEY: cfg.s3AccessKey,
    S3_SECRET_KEY: cfg.s3SecretKey,
    KEYCLOAK_URL: keycloakUrl,
    ANAF_BASE_URL: anafBaseUrl,
    ANAF_OAUTH_URL: anafOAuthUrl,
    // ANAF redirects the browser to invoicing-api's public callback (issue 10 point 1: companies' authorisation)
    ANAF_REDIRECT_URI: process.env.ANAF_REDIRECT_URI || `http://127.0.0.1:${cfg.apiPort}/v1/anaf/oauth/callback`,
    // taxpayer lookup v9 (issue 10 point 3): the simulator's fixture with the embedded defaults, ANAF's otherwise
    ...(process.env.ANAF_TAXPAYER_URL ? { ANAF_TAXPAYER_URL: process.env.ANAF_TAXPAYER_URL } : usingSim ? { ANAF_TAXPAYER_URL: `http://127.0.0.1:${cfg.anafSimPort}/api/PlatitorTvaRest/v9/tva` } : {}),
    INVOICING_API_PORT: String(cfg.apiPort),
    PLATFORM_API_PORT: String(cfg.platformApiPort),
    DOCUMENTS_API_PORT: String(cfg.documentsApiPort),
    // New tenants' cetate-shell clients get the gateway's origin as redirect URI and web origin.
    CETATE_SHELL_ORIGIN: process.env.CETATE_SHELL_ORIGIN || `http://{slug}.localhost:${cfg.gatewayPort}`,
    ...(process.env.PUBLIC_KEYCLOAK_URL ? { PUBLIC_KEYCLOAK_URL: process.env.PUBLIC_KEYCLOAK_URL } : {}),
    ...(process.env.PLATFORM_DATABASE_URL ? { PLATFORM_DATABASE_URL: process.env.PLATFORM_DATABASE_URL } : {}),
  };
  const oauth = {
    oauthBaseUrl: anafOAuthUrl,
    clientId: process.env.ANAF_CLIENT_ID ?? 'cetate-dev',
    clientSecret: process.env.ANAF_CLIENT_SECRET ?? 'cetate-dev-secret',
    redirectUri: appEnv.ANAF_REDIRECT_URI!,
  };
  process.stdout.write(`provisioning tenant ${cfg.demoTenant} (provisioning saga)\n`);
  const { formatProgress } = await import('@cetate/platform-provisioning');
  const demo = await provisionDemoTenant({
    env: { ...process.env, ...appEnv },
    tenant: { ...DEMO_TENANT, slug: cfg.demoTenant },
    anafSimulatorOAuth: usingSim ? oauth : undefined,
    onProgress: (e) => {
      const line = formatProgress(e);
      if (line) process.stdout.write(`  ${line}\n`);
    },
  });
  process.stdout.write(`  tenant ${demo.slug}: ${demo.status} (migrations up to date; ANAF ${usingSim ? 'authorised at the simulator' : 'not authorised by the launcher'})\n`);

  const platformApi = group.start('platform-api', node, [...tsx, 'apps/platform-api/src/main.ts'], appEnv);
  const api = group.start('invoicing-api', node, [...tsx, 'apps/invoicing-api/src/main.ts'], appEnv);
  group.start('worker-anaf', node, [...tsx, 'apps/worker-anaf/src/main.ts'], appEnv);
  const documentsApi = group.start('documents-api', node, [...tsx, 'apps/documents-api/src/main.ts'], appEnv);
  group.start('worker-ocr', node, [...tsx, 'apps/worker-ocr/src/main.ts'], appEnv);
  const apiUrl = `http://127.0.0.1:${cfg.apiPort}`;
  const platformApiUrl = `http://127.0.0.1:${cfg.platformApiPort}`;
  const documentsApiUrl = `http://127.0.0.1:${cfg.documentsApiPort}`;
  await Promise.all([
    waitUntil('invoicing-api', () => httpOk(`${apiUrl}/health`), { proc: api, timeoutMs: 90_000 }),
    waitUntil('platform-api', () => httpOk(`${platformApiUrl}/health`), { proc: platformApi, timeoutMs: 90_000 }),
    waitUntil('documents-api', () => httpOk(`${documentsApiUrl}/health`), { proc: documentsApi, timeoutMs: 90_000 }),
  ]);

  const uiState = await ui;
  gateway = await startGateway({
    port: cfg.gatewayPort,
    apis: { invoicing: apiUrl, platform: platformApiUrl, documents: documentsApiUrl },
    remotes: { invoicing: distDir('invoicing-ui'), admin: distDir('admin-ui') },
    shellDir: distDir('shell'),
  });
  const shellUrl = `http://${demo.slug}.localhost:${gateway.port}`;
  const operatorUrl = `http://platform.localhost:${gateway.port}`;
  const uiNote =
    'skipped' in uiState
      ? [`UI not served: ${uiState.skipped}`, `  (the gateway still routes /api/invoicing and /api/platform; fix the build and restart)`]
      : [];

  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  process.stdout.write(
    [
      '',
      `Cetate is up (${secs} s). Ctrl-C stops everything.`,
      '',
      `shell             ${shellUrl}   (open this; ${'skipped' in uiState ? 'UI NOT BUILT, see below' : `users of realm ${demo.realm} below`})`,
      `operators         ${operatorUrl}   (realm platform)`,
      ...uiNote,
      '',
      `  gateway           http://127.0.0.1:${gateway.port}   (/ shell, /remotes/<name>/, /api/invoicing/*, /api/platform/*, /api/documents/*)`,
      `  invoicing-api     ${apiUrl}   (GET /health, /v1/invoices)`,
      `  documents-api     ${documentsApiUrl}   (POST /v1/documents: a scanned or PDF supplier invoice; worker-ocr reads it)`,
      `  platform-api      ${platformApiUrl}   (/v1/tenants for operators, /v1/users for tenant admins)`,
      `  identity (realm)  ${keycloakUrl}/realms/${demo.realm}${cfg.keycloakUrl ? '' : '   (dev identity server)'}`,
      `  S3                ${s3Endpoint}   bucket ${demo.bucket}${cfg.s3Endpoint ? '' : '   (embedded s3rver, data in ' + cfg.dataDir + '/s3)'}`,
      `  ANAF              ${anafBaseUrl}${usingSim ? '   (simulator)' : ''}`,
      `  tenant            ${demo.slug} (CIF ${demo.cif}, database ${demo.dbName})`,
      '',
      'Demo credentials (realm demo):',
      '  API client (client credentials): cetate-api / cetate-api-secret   (role accountant)',
      '  users: ana.contabil / demo-accountant-1 (accountant), admin / demo-admin-1 (tenant-admin)',
      'Platform operator (realm platform): operator / platform-op-1 (platform-operator)',
      '  more tenants: npm run cetate -- tenant create SLUG --name NAME --cif CIF --admin-email EMAIL',
      `  token: curl -s -d grant_type=client_credentials -d client_id=cetate-api -d client_secret=cetate-api-secret ${keycloakUrl}/realms/${demo.realm}/protocol/openid-connect/token`,
      '',
      'Try: npm run demo -- ../shared/conformance/invoices/ro-*/*.xml',
      '',
    ].join('\n'),
  );
  // Stay up; if a child dies, say so (its output is above) and stop the rest.
  await Promise.race(group.list().map((p) => p.exited.then((code) => ({ name: p.name, code }))));
  if (!stopping) {
    process.stderr.write('a platform process exited; stopping the others\n');
    await stop(1);
  }
} catch (err) {
  process.stderr.write(`\nnpm start failed: ${(err as Error).message}\n`);
  await stop(1);
}
