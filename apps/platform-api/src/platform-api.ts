import 'reflect-metadata';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ForbiddenError, HealthController, PLATFORM_REALM, READINESS_PROBE, RealmAuthModule, TenantUsersController } from '@cetate/platform-identity';
import { Consumer } from '@cetate/platform-messaging';
import { createLogger, serveHttp } from '@cetate/platform-observability';
import { PLATFORM_API_EVENTS_QUEUE, ProvisioningSaga, TENANT_EVENTS } from '@cetate/platform-provisioning';
import { activeTenantOfRealm, cachedTenantLookup } from '@cetate/platform-tenancy';
import { openPlatformServices, type PlatformServicesConfig } from './platform-services.js';
import { SHELL_MANIFEST_SOURCE, ShellController, type ShellManifestSource } from './shell.controller.js';
import { TenantsController } from './tenants.controller.js';

/** Root Nest module of `platform-api`; filled at start. */
@Module({})
class PlatformApiModule {}

/** Configuration of one `platform-api` process (README "Environment variables"). */
export interface PlatformApiConfig extends PlatformServicesConfig {
  /** Keycloak (or dev identity) base URL; realms are `<url>/realms/<realm>`. */
  keycloakUrl: string;
  /**
   * Keycloak server URL as browsers reach it, put in the shell manifest (`PUBLIC_KEYCLOAK_URL`); default
   * `keycloakUrl` (the same URL serves both on one machine).
   */
  publicKeycloakUrl?: string;
  /** HTTP port (0 = random). */
  port: number;
  host?: string;
  /** More controllers (e.g. the tenant admins' `v1/users`) and their providers. */
  extra?: { controllers: Type<unknown>[]; providers: NonNullable<DynamicModule['providers']> };
}

/** A running `platform-api`. */
export interface RunningPlatformApi {
  url: string;
  /** The saga the API drives (tests and the launcher use the same one). */
  saga: ProvisioningSaga;
  close(): Promise<void>;
}

/**
 * Every controller `platform-api` serves in production, the tenant admins' `v1/users` included (the endpoint
 * permission snapshot reads their role declarations).
 */
export const PLATFORM_API_CONTROLLERS: Type<unknown>[] = [TenantsController, ShellController, HealthController, TenantUsersController];

/**
 * Starts `platform-api`: the tenant lifecycle for platform operators (`/v1/tenants`, realm `platform`, role
 * `platform-operator`), the web shell's public boot manifest (`GET /v1/shell/manifest?tenant=`), plus `extra` controllers (tenant admins' user management), `/health`. Tokens are verified
 * per realm; the realm must be `platform` or the realm of an `active` tenant (else 403 before any JWKS request).
 * Consumes `platform.tenant.*` (queue `platform-api.events`) and logs each lifecycle event.
 * @throws the first start-up error, after closing what was opened.
 */
export async function startPlatformApi(cfg: PlatformApiConfig): Promise<RunningPlatformApi> {
  const log = createLogger('platform-api');
  const services = await openPlatformServices({ ...cfg, name: 'platform-api' });
  const steps: Array<() => Promise<void>> = [() => services.close()];
  const close = async () => {
    for (const s of steps.splice(0).reverse()) await s().catch((err) => log.warn({ err }, 'close step failed'));
  };
  try {
    const tenants = cachedTenantLookup(services.registry, 5_000);
    const consumer = new Consumer(services.connection);
    for (const contract of TENANT_EVENTS) {
      consumer.consume(contract, async (payload) => log.info({ event: contract.routingKey, payload }, 'tenant lifecycle event'), {
        queue: PLATFORM_API_EVENTS_QUEUE,
        prefetch: 10,
      });
    }
    await consumer.start();
    steps.push(() => consumer.stop());

    const root: DynamicModule = {
      module: PlatformApiModule,
      imports: [
        RealmAuthModule.forRoot({
          verifier: {
            issuerBaseUrl: cfg.keycloakUrl,
            isKnownRealm: async (realm) => {
              if (realm === PLATFORM_REALM || (await tenants.isKnownRealm(realm))) return true;
              throw new ForbiddenError(`token of realm ${realm}, which is neither the platform realm nor a tenant's`);
            },
          },
          tenantResolver: {
            useValue: {
              /** `platform` for operators; a tenant realm maps to its tenant only while it is `active`. */
              async tenantForRealm(realm: string) {
                if (realm === PLATFORM_REALM) return { slug: PLATFORM_REALM };
                const t = await activeTenantOfRealm(tenants, realm);
                return t ? { slug: t.slug } : null;
              },
            },
          },
        }),
      ],
      controllers: [TenantsController, ShellController, HealthController, ...(cfg.extra?.controllers ?? [])],
      providers: [
        {
          provide: SHELL_MANIFEST_SOURCE,
          useValue: { identityUrl: cfg.publicKeycloakUrl ?? cfg.keycloakUrl, bySlug: (slug) => tenants.bySlug(slug) } satisfies ShellManifestSource,
        },
        { provide: ProvisioningSaga, useValue: services.saga },
        { provide: READINESS_PROBE, useValue: services.connection },
        ...(cfg.extra?.providers ?? []),
      ],
    };
    const app = await NestFactory.create(root, { bodyParser: false, logger: ['error', 'warn'] });
    steps.push(() => app.close());
    const url = await serveHttp(app, { port: cfg.port, host: cfg.host, log, jsonLimit: '100kb' });
    log.info({ url }, 'platform-api listening');
    return { url, saga: services.saga, close };
  } catch (err) {
    await close();
    throw err;
  }
}
