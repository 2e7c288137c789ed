import { randomBytes } from 'node:crypto';
import type { IdentityAdmin } from '@cetate/platform-identity';
import { API_CLIENT_ID } from '@cetate/platform-identity';
import type { SecretStore } from '@cetate/platform-secrets';
import {
  assertValidSlug,
  InvalidTenantError,
  normalizeCif,
  TenantNotFoundError,
  type TenantRecord,
  type TenantRegistry,
} from '@cetate/platform-tenancy';
import { ProvisioningStepError, TenantStateConflictError } from './provisioning.errors.js';
import type { ProvisioningStateStore, StepState } from './provisioning-state.store.js';
import type { TenantEventPublisher } from './tenant-events.js';

/** Steps of provisioning, in order (ARCHITECTURE.md §2: realm -> database + migrations -> bucket -> secrets -> event). */
export const PROVISIONING_STEPS = ['realm', 'database', 'bucket', 'secrets', 'event'] as const;
export type ProvisioningStep = (typeof PROVISIONING_STEPS)[number];

/**
 * Steps of deletion, in order, recorded as `delete:<step>`: the export (when asked), the realm first (nobody can
 * log in any more), then bucket, database, secrets, and the event; the registry row goes last, with its step rows.
 */
export const DEPROVISIONING_STEPS = ['export', 'realm', 'bucket', 'database', 'secrets', 'event'] as const;
export type DeprovisioningStep = (typeof DEPROVISIONING_STEPS)[number];

/**
 * Slugs no tenant may take: `platform` is the operators' realm, `master` Keycloak's admin realm; `admin` and
 * `www` would make confusing host names (`<slug>.cetate.ro`).
 */
export const RESERVED_TENANT_SLUGS: readonly string[] = ['platform', 'master', 'admin', 'www'];

/** {@link assertValidSlug} plus the reserved names. @throws InvalidTenantError (400). */
export function assertProvisionableSlug(slug: string): void {
  assertValidSlug(slug);
  if (RESERVED_TENANT_SLUGS.includes(slug)) throw new InvalidTenantError(`Tenant slug "${slug}" is reserved`, 'slug');
}

/** Secret path of the tenant's `cetate-api` client credentials in the {@link SecretStore}. */
export const API_CLIENT_SECRET_PATH = 'identity/cetate-api';

/** The database step: create `tenant_<slug>` on the tenant's cluster and run every module's migrations. */
export interface TenantDatabaseAdmin {
  /** Idempotent. @returns whether the database was created now and the migrations run now. */
  provision(tenant: TenantRecord): Promise<{ created: boolean; migrationsRun: string[] }>;
  /** `DROP DATABASE ... WITH (FORCE)`; @returns false when it did not exist. */
  drop(tenant: TenantRecord): Promise<{ dropped: boolean }>;
}

/** The bucket step: bucket `cetate-<slug>` (and, where the store has them, the tenant's own access key and policy). */
export interface TenantBucketAdmin {
  ensureBucket(tenant: TenantRecord): Promise<{ bucket: string; created: boolean; access?: Record<string, unknown> }>;
  /** Deletes every object, then the bucket (and the tenant's access key). */
  removeBucket(tenant: TenantRecord): Promise<{ removed: boolean; objectsRemoved?: number }>;
}

/** The export offered before a deletion: one file with the tenant's database dump and objects. */
export interface TenantExporter {
  exportTenant(tenant: TenantRecord, outFile: string, onProgress?: (done: number, total: number) => void): Promise<{ file: string; bytes: number }>;
}

/** Everything the saga drives. Each is a port; the composition root picks the adapters. */
export interface ProvisioningDeps {
  registry: TenantRegistry;
  state: ProvisioningStateStore;
  identity: IdentityAdmin;
  database: TenantDatabaseAdmin;
  buckets: TenantBucketAdmin;
  secrets: SecretStore;
  events: TenantEventPublisher;
  exporter?: TenantExporter;
  /** Redirect URIs of the tenant's `cetate-shell` client, e.g. `https://<slug>.cetate.ro/*`. */
  shellRedirectUris(slug: string): string[];
}

/** Input of {@link ProvisioningSaga.create}. */
export interface CreateTenantInput {
  /** `[a-z][a-z0-9-]{1,30}`: becomes database, bucket and realm names (checked before anything runs). */
  slug: string;
  displayName: string;
  /** Romanian CUI (control digit checked; `RO` prefix accepted). */
  cif: string;
  /** The first tenant admin, who must set a password at first login. */
  admin: { email: string; username?: string; firstName?: string; lastName?: string };
  /** Which PostgreSQL server entry holds the database (`PG_CLUSTERS`); default `default`. */
  dbCluster?: string;
  /** Temporary password of the first admin; generated when omitted. */
  adminTemporaryPassword?: string;
}

/** One progress report of a saga run. */
export interface ProgressEvent {
  slug: string;
  step: string;
  /** 1-based position and count of the run's steps. */
  index: number;
  total: number;
  status: 'started' | 'succeeded' | 'skipped' | 'failed';
  detail?: Record<string, unknown>;
  error?: string;
  /** Duration of the step, ms (on `succeeded`/`failed`). */
  ms?: number;
}

/** A tenant with the state of its saga steps. */
export interface TenantProvisioningView extends TenantRecord {
  steps: StepState[];
}

/** Outcome of {@link ProvisioningSaga.create}. */
export interface CreateTenantResult {
  tenant: TenantProvisioningView;
  /** The first admin's temporary password, when this run created the admin (shown once, stored nowhere). */
  firstAdmin?: { username: string; temporaryPassword: string };
}

const now = () => performance.now();

/**
 * The tenant provisioning saga (issue 5, ARCHITECTURE.md §2): realm -> database + every module's migrations
 * -> bucket -> secrets -> `platform.tenant.provisioned`, then status `active`.
 *
 * - **Idempotent and resumable**: each step's state is in `platform.provisioning_step`; a run skips steps that
 *   succeeded and re-runs the others (each step is itself idempotent: "ensure", never "create blindly"), so
 *   re-running `create` with the same slug finishes a half-done tenant (e.g. after the process was killed).
 * - A failed step is recorded `failed` with its reason and the run stops with {@link ProvisioningStepError};
 *   the next run retries it.
 * - One run per tenant at a time (advisory lock): a concurrent run gets `TenantOperationInProgressError` (409).
 * - The slug (and CIF) are validated before any SQL or any call to a service.
 */
export class ProvisioningSaga {
  constructor(private readonly deps: ProvisioningDeps) {}

  /**
   * Provisions a tenant or finishes a half-provisioned one. An `active` tenant is returned as is.
   * @throws InvalidTenantError (400) bad slug/CIF; TenantStateConflictError (409) the slug belongs to a tenant
   * with another CIF, or one being deleted; TenantOperationInProgressError (409); ProvisioningStepError (502).
   */
  async create(input: CreateTenantInput, onProgress: (e: ProgressEvent) => void = () => undefined): Promise<CreateTenantResult> {
    assertProvisionableSlug(input.slug);
    const cif = normalizeCif(input.cif);
    if (!input.displayName?.trim()) throw new InvalidTenantError('displayName is required', 'displayName');
    const { registry, state } = this.deps;
    await state.ensureSchema();
    return state.withTenantLock(input.slug, async () => {
      let tenant = await registry.get(input.slug).catch((err: unknown) => {
        if (err instanceof TenantNotFoundError) return undefined;
        throw err;
      });
      if (tenant) {
        if (tenant.cif !== cif) throw new TenantStateConflictError(`Tenant "${input.slug}" exists with CIF ${tenant.cif}, not ${cif}`);
        const steps = await state.steps(input.slug);
        if (steps.some((s) => s.step.startsWith('delete:'))) {
          throw new TenantStateConflictError(`Tenant "${input.slug}" is being deleted; finish with: tenant delete ${input.slug} --yes`);
        }
        if (tenant.status !== 'provisioning') return { tenant: { ...tenant, steps } };
      } else {
        tenant = await registry.upsert({ slug: input.slug, displayName: input.displayName, cif, dbCluster: input.dbCluster, status: 'provisioning' });
      }
      const username = input.admin.username ?? 'admin';
      const temporaryPassword = input.adminTemporaryPassword ?? randomBytes(12).toString('base64url');
      let adminCreated = false;
      const t = tenant;
      const run = this.runner(t.slug, PROVISIONING_STEPS.length, '', onProgress);

      await run('realm', async () => {
        const r = await this.deps.identity.ensureTenantRealm({
          realm: t.realm,
          displayName: t.displayName,
          shellRedirectUris: this.deps.shellRedirectUris(t.slug),
          // Keycloak web origins `+`: CORS for the redirect URIs' origins (keycloak-js calls the token endpoint).
          shellWebOrigins: ['+'],
          firstAdmin: { username, email: input.admin.email, firstName: input.admin.firstName, lastName: input.admin.lastName, temporaryPassword },
        });
        adminCreated = r.firstAdminCreated;
        return { ...r, firstAdmin: username };
      });
      await run('database', async () => {
        const r = await this.deps.database.provision(t);
        return { dbName: t.dbName, dbCluster: t.dbCluster, created: r.created, migrationsRun: r.migrationsRun };
      });
      await run('bucket', async () => ({ ...(await this.deps.buckets.ensureBucket(t)) }));
      await run('secrets', async () => {
        const key = await this.deps.secrets.ensureTenant(t.slug);
        const secret = await this.deps.identity.getClientSecret(t.realm, API_CLIENT_ID);
        await this.deps.secrets.put(t.slug, API_CLIENT_SECRET_PATH, { clientId: API_CLIENT_ID, clientSecret: secret });
        return { dataKeyCreated: key.created, stored: [API_CLIENT_SECRET_PATH] };
      });
      await run('event', async () => {
        await this.deps.events.provisioned({ slug: t.slug, realm: t.realm, cif: t.cif, dbName: t.dbName, dbCluster: t.dbCluster, bucket: t.bucket });
        return { routingKey: 'platform.tenant.provisioned' };
      });
      await registry.setStatus(t.slug, 'active');
      return {
        tenant: await this.show(t.slug),
        ...(adminCreated ? { firstAdmin: { username, temporaryPassword } } : {}),
      };
    });
  }

  /**
   * Deletes a tenant so that nothing is left: optional export first (`exportTo`: a file path), then the realm,
   * the bucket (every object), the database, the secrets, the `platform.tenant.deprovisioned` event and the
   * registry row. The tenant is `suspended` first (its tokens get 403 at once). Resumable like `create`.
   * @throws TenantNotFoundError (404); TenantOperationInProgressError (409); ProvisioningStepError (502).
   */
  async delete(slug: string, opts: { exportTo?: string } = {}, onProgress: (e: ProgressEvent) => void = () => undefined): Promise<{ exported?: string }> {
    assertValidSlug(slug);
    const { registry, state } = this.deps;
    await state.ensureSchema();
    return state.withTenantLock(slug, async () => {
      const t = await registry.get(slug);
      if (t.status !== 'suspended') await registry.setStatus(slug, 'suspended');
      const run = this.runner(slug, DEPROVISIONING_STEPS.length, 'delete:', onProgress);
      let exported: string | undefined;
      await run('export', async () => {
        if (!opts.exportTo) return { skipped: 'no export asked' };
        if (!this.deps.exporter) throw new Error('no exporter configured');
        const r = await this.deps.exporter.exportTenant(t, opts.exportTo);
        exported = r.file;
        return { file: r.file, bytes: r.bytes };
      }, !opts.exportTo);
      await run('realm', async () => ({ deleted: await this.deps.identity.deleteRealm(t.realm) }));
      await run('bucket', async () => ({ ...(await this.deps.buckets.removeBucket(t)) }));
      await run('database', async () => ({ ...(await this.deps.database.drop(t)) }));
      await run('secrets', async () => ({ secretsDeleted: await this.deps.secrets.deleteTenant(slug) }));
      await run('event', async () => {
        await this.deps.events.deprovisioned(slug);
        return { routingKey: 'platform.tenant.deprovisioned' };
      });
      // Last: the registry row (its step and log rows go with it, ON DELETE CASCADE).
      await registry.remove(slug);
      return exported ? { exported } : {};
    });
  }

  /** Suspends an active tenant: its tokens get 403 (within the API's 30 s lookup cache) until {@link resume}. */
  async suspend(slug: string): Promise<TenantProvisioningView> {
    const t = await this.deps.registry.get(slug);
    if (t.status === 'provisioning') throw new TenantStateConflictError(`Tenant "${slug}" is still provisioning; finish it first`);
    if (t.status !== 'suspended') {
      await this.deps.registry.setStatus(slug, 'suspended');
      await this.deps.events.suspended(slug);
    }
    return this.show(slug);
  }

  /** Resumes a suspended tenant. @throws TenantStateConflictError when it is being deleted or not fully provisioned. */
  async resume(slug: string): Promise<TenantProvisioningView> {
    const t = await this.deps.registry.get(slug);
    const steps = await this.deps.state.steps(slug);
    if (steps.some((s) => s.step.startsWith('delete:'))) throw new TenantStateConflictError(`Tenant "${slug}" is being deleted`);
    if (t.status === 'provisioning') throw new TenantStateConflictError(`Tenant "${slug}" is still provisioning; run create again to finish it`);
    if (t.status === 'suspended') {
      await this.deps.registry.setStatus(slug, 'active');
      await this.deps.events.resumed(slug);
    }
    return this.show(slug);
  }

  /**
   * Runs the pending migrations of every module on the tenant's database (upgrade path: `tenant migrate`).
   * @returns the migrations run. @throws TenantStateConflictError for a tenant being deleted.
   */
  async migrate(slug: string): Promise<{ slug: string; migrationsRun: string[] }> {
    const t = await this.deps.registry.get(slug);
    const steps = await this.deps.state.steps(slug);
    if (steps.some((s) => s.step.startsWith('delete:'))) throw new TenantStateConflictError(`Tenant "${slug}" is being deleted`);
    const r = await this.deps.database.provision(t);
    return { slug, migrationsRun: r.migrationsRun };
  }

  /**
   * Writes the tenant's export (database dump + every object) to `outFile` without changing anything.
   * @throws Error when no exporter is configured.
   */
  async exportTo(tenant: TenantRecord, outFile: string, onProgress?: (done: number, total: number) => void): Promise<{ file: string; bytes: number }> {
    if (!this.deps.exporter) throw new Error('no exporter configured');
    return this.deps.exporter.exportTenant(tenant, outFile, onProgress);
  }

  /** A tenant with its steps. @throws TenantNotFoundError (404). */
  async show(slug: string): Promise<TenantProvisioningView> {
    const t = await this.deps.registry.get(slug);
    return { ...t, steps: await this.deps.state.steps(slug) };
  }

  /** Every tenant with its steps, ordered by slug. */
  async list(): Promise<TenantProvisioningView[]> {
    await this.deps.state.ensureSchema();
    const all = await this.deps.registry.list();
    const steps = await this.deps.state.stepsOf(all.map((t) => t.slug));
    return all.map((t) => ({ ...t, steps: steps.get(t.slug) ?? [] }));
  }

  /**
   * A step runner for one saga run: a step already `succeeded`/`skipped` is reported `skipped` and not re-run;
   * otherwise it is recorded `running`, run, then `succeeded` (or `skipped` when `skip`) or `failed`.
   */
  private runner(slug: string, total: number, prefix: string, onProgress: (e: ProgressEvent) => void) {
    let index = 0;
    let done: Map<string, StepState> | undefined;
    return async (name: string, fn: () => Promise<Record<string, unknown>>, skip = false): Promise<void> => {
      index++;
      const step = prefix + name;
      done ??= new Map((await this.deps.state.steps(slug)).map((s) => [s.step, s]));
      const prev = done.get(step);
      if (prev && (prev.status === 'succeeded' || prev.status === 'skipped')) {
        onProgress({ slug, step, index, total, status: 'skipped', detail: { ...prev.detail, alreadyDone: true } });
        return;
      }
      onProgress({ slug, step, index, total, status: 'started' });
      await this.deps.state.start(slug, step);
      const t0 = now();
      try {
        const detail = await fn();
        await this.deps.state.finish(slug, step, skip ? 'skipped' : 'succeeded', detail);
        onProgress({ slug, step, index, total, status: skip ? 'skipped' : 'succeeded', detail, ms: now() - t0 });
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        await this.deps.state.fail(slug, step, reason).catch(() => undefined);
        onProgress({ slug, step, index, total, status: 'failed', error: reason, ms: now() - t0 });
        throw new ProvisioningStepError(slug, step, err);
      }
    };
  }
}
