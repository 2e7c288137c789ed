/**
 * KeycloakIdentityAdmin against (a) the dev identity server in-process (PostgreSQL persistence, admin
 * REST subset) and (b) a real Keycloak 26 in a container where a container runtime answers. Both run the
 * same body: `identityAdminContract` (identity-admin.contract-suite.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenericContainer, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
// Test-only dependency on a tool: the real dev identity server runs in-process as the server under test.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDevIdentity, type DevIdentityServer } from '@cetate/dev-identity';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { identityAdminContract, recordFetch, type IdentityAdminContractEnv } from './identity-admin.contract-suite.js';
import { IdentityAdminError } from './identity-admin.js';
import { KeycloakIdentityAdmin, identityAdminFromEnv } from './keycloak-identity-admin.js';

/** Keycloak image of suite (b): the server line of the installed admin client (26.x). */
const KEYCLOAK_IMAGE = 'quay.io/keycloak/keycloak:26.4';

// ---- (a) dev identity server ----

let db: TestDatabase;
let idp: DevIdentityServer;
let devEnv: IdentityAdminContractEnv;

beforeAll(async () => {
  db = await createTestDatabase('cetate_kcadmin');
  idp = await startDevIdentity({ port: 0, realms: [], databaseUrl: db.url });
  devEnv = { admin: identityAdminFromEnv({ KEYCLOAK_URL: idp.url }), baseUrl: idp.url, label: 'dev identity server' };
});

afterAll(async () => {
  await idp?.close();
  await db?.drop();
});

identityAdminContract('KeycloakIdentityAdmin against the dev identity server', () => devEnv);

describe('KeycloakIdentityAdmin: authentication and errors (dev identity server)', () => {
  it('renews the admin token before it expires and shares one request between concurrent callers', async () => {
    let now = Date.now();
    const admin = new KeycloakIdentityAdmin({ baseUrl: idp.url, clientId: 'cetate-provisioner', clientSecret: 'cetate-provisioner-secret', now: () => now });
    const [a, b] = await Promise.all([admin.accessToken(), admin.accessToken()]);
    expect(a).toBe(b);
    expect(admin.authCount).toBe(1);
    const { exp, iat } = JSON.parse(Buffer.from(a.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number };
    const lifetimeMs = (exp - iat) * 1000;
    now += lifetimeMs - 20_000; // 20 s before exp: outside the 15 s skew, still cached
    expect(await admin.accessToken()).toBe(a);
    now += 10_000; // 10 s before exp: renewed
    await admin.accessToken();
    expect(admin.authCount).toBe(2);
    expect(await admin.realmExists('master')).toBe(true);
  });

  it('maps refused credentials and an unreachable server to 502', async () => {
    const wrong = new KeycloakIdentityAdmin({ baseUrl: idp.url, clientId: 'cetate-provisioner', clientSecret: 'nope' });
    const err = await wrong.realmExists('master').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdentityAdminError);
    expect(err).toMatchObject({ status: 502, code: 'IDENTITY_ADMIN_FAILED', detail: 'The identity server is unavailable or failed; try again later' });

    const down = new KeycloakIdentityAdmin({ baseUrl: 'http://127.0.0.1:9', clientId: 'x', clientSecret: 'y', timeoutMs: 2000 });
    await expect(down.realmExists('master')).rejects.toMatchObject({ status: 502 });
  });

  it('keeps 400 from the admin API (invalid realm name)', async () => {
    const err = await devEnv.admin
      .ensureTenantRealm({ realm: 'bad realm!', displayName: 'x', shellRedirectUris: [], firstAdmin: { username: 'a', email: 'a@b.c', temporaryPassword: 'p' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdentityAdminError);
    expect((err as IdentityAdminError).status).toBe(400);
  });

  it('a 5xx answer of the identity server becomes 502', async () => {
    // The injected failure below is a lost answer; a 5xx is checked through a server that answers 503.
    const { createServer } = await import('node:http');
    const srv = createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const port = (srv.address() as { port: number }).port;
      const admin = new KeycloakIdentityAdmin({ baseUrl: `http://127.0.0.1:${port}`, clientId: 'x', clientSecret: 'y' });
      await expect(admin.realmExists('master')).rejects.toMatchObject({ status: 502 });
      const { error } = await recordFetch(() => devEnv.admin.realmExists('master'), 1);
      expect(error).toMatchObject({ status: 502 });
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });
});

// ---- (b) real Keycloak through testcontainers ----

/** Whether a container runtime answers (testcontainers' own detection: socket, DOCKER_HOST, ...). */
const runtime = await getContainerRuntimeClient().then(
  () => ({ available: true as const, reason: '' }),
  (err: unknown) => ({ available: false as const, reason: (err as Error).message }),
);
if (!runtime.available) {
  console.warn(`[keycloak-identity-admin] real Keycloak suite SKIPPED: no container runtime (${runtime.reason})`);
}

describe.skipIf(!runtime.available)(
  `KeycloakIdentityAdmin against real Keycloak (${KEYCLOAK_IMAGE})${runtime.available ? '' : ` SKIPPED: no container runtime: ${runtime.reason}`}`,
  () => {
    let container: StartedTestContainer | undefined;
    let kcEnv: IdentityAdminContractEnv;

    beforeAll(async () => {
      container = await new GenericContainer(KEYCLOAK_IMAGE)
        .withEnvironment({ KC_BOOTSTRAP_ADMIN_USERNAME: 'admin', KC_BOOTSTRAP_ADMIN_PASSWORD: 'admin-pass-1' })
        .withCommand(['start-dev'])
        .withExposedPorts(8080)
        .withWaitStrategy(Wait.forHttp('/realms/master', 8080).forStatusCode(200))
        .withStartupTimeout(240_000)
        .start();
      const baseUrl = `http://${container.getHost()}:${container.getMappedPort(8080)}`;
      // Bootstrap, as an operator would once: the provisioner's service client in master with role admin.
      const bootstrap = new KeycloakIdentityAdmin({ baseUrl, username: 'admin', password: 'admin-pass-1' });
      const { id } = await bootstrap.kc.clients.create({
        realm: 'master',
        clientId: 'cetate-provisioner',
        publicClient: false,
        secret: 'cetate-provisioner-secret',
        serviceAccountsEnabled: true,
        standardFlowEnabled: false,
        directAccessGrantsEnabled: false,
      });
      const sa = await bootstrap.kc.clients.getServiceAccountUser({ realm: 'master', id });
      const adminRole = await bootstrap.kc.roles.findOneByName({ realm: 'master', name: 'admin' });
      await bootstrap.kc.users.addRealmRoleMappings({ realm: 'master', id: sa.id!, roles: [{ id: adminRole!.id!, name: 'admin' }] });
      kcEnv = { admin: identityAdminFromEnv({ KEYCLOAK_URL: baseUrl }), baseUrl, label: `Keycloak ${KEYCLOAK_IMAGE}` };
    }, 300_000);

    afterAll(async () => {
      await container?.stop();
    });

    identityAdminContract('contract', () => kcEnv);
  },
);
