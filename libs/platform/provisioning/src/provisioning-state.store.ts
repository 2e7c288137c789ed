import pg from 'pg';
import { DataSource } from 'typeorm';
import { runMigrationsLocked, type TenantRegistry } from '@cetate/platform-tenancy';
import { ProvisioningStep1764547200000 } from './migrations/1764547200000-provisioning-step.js';
import { TenantOperationInProgressError } from './provisioning.errors.js';

/** Status of one saga step in `platform.provisioning_step`. */
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/** One row of `platform.provisioning_step`. */
export interface StepState {
  step: string;
  status: StepStatus;
  /** How many times the step was started. */
  attempts: number;
  /** Message of the last failure (kept after a later success until the next failure, for the record: cleared on success). */
  lastError: string | null;
  /** What the step did (created or found, counts, names); never a secret. */
  detail: Record<string, unknown>;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Migrations this package adds to `cetate_platform` (after the registry's). */
export const PROVISIONING_MIGRATIONS = [ProvisioningStep1764547200000];

/** First key of the two-key advisory lock that serialises saga runs of one tenant across processes. */
const SAGA_LOCK_CLASS = 7_310_915_002;

interface StepRow {
  step: string;
  status: StepStatus;
  attempts: number;
  last_error: string | null;
  detail: Record<string, unknown>;
  started_at: Date | null;
  finished_at: Date | null;
}

/**
 * Step states of the provisioning saga in `cetate_platform` (`platform.provisioning_step`) plus the per-tenant
 * run lock. Every transition is also appended to the registry's `platform.provisioning_log` (history).
 */
export class ProvisioningStateStore {
  private ready?: Promise<void>;

  constructor(
    private readonly registry: TenantRegistry,
    private readonly platformUrl: string,
  ) {}

  /** Creates the registry schema and `platform.provisioning_step` when missing. Idempotent. */
  ensureSchema(): Promise<void> {
    this.ready ??= (async () => {
      await this.registry.ensureSchema();
      const ds = new DataSource({ type: 'postgres', url: this.platformUrl, migrations: PROVISIONING_MIGRATIONS, poolSize: 1, applicationName: 'cetate:provisioning-migrate' });
      await ds.initialize();
      try {
        await runMigrationsLocked(ds);
      } finally {
        await ds.destroy();
      }
    })().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private get ds(): DataSource {
    return this.registry.dataSource;
  }

  /** Steps of a tenant, in the order they were first started. */
  async steps(slug: string): Promise<StepState[]> {
    await this.ensureSchema();
    const rows = (await this.ds.query(
      `SELECT step, status, attempts, last_error, detail, started_at, finished_at
         FROM platform.provisioning_step WHERE tenant_slug = $1 ORDER BY started_at NULLS LAST, step`,
      [slug],
    )) as StepRow[];
    return rows.map(toState);
  }

  /** Steps of many tenants at once (for listings), keyed by slug. */
  async stepsOf(slugs: string[]): Promise<Map<string, StepState[]>> {
    await this.ensureSchema();
    const out = new Map<string, StepState[]>(slugs.map((s) => [s, []]));
    if (!slugs.length) return out;
    const rows = (await this.ds.query(
      `SELECT tenant_slug, step, status, attempts, last_error, detail, started_at, finished_at
         FROM platform.provisioning_step WHERE tenant_slug = ANY($1) ORDER BY started_at NULLS LAST, step`,
      [slugs],
    )) as Array<StepRow & { tenant_slug: string }>;
    for (const r of rows) out.get(r.tenant_slug)?.push(toState(r));
    return out;
  }

  /** Marks a step started (attempts + 1). */
  async start(slug: string, step: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO platform.provisioning_step (tenant_slug, step, status, attempts, started_at, finished_at)
       VALUES ($1, $2, 'running', 1, now(), NULL)
       ON CONFLICT (tenant_slug, step) DO UPDATE SET status = 'running', attempts = platform.provisioning_step.attempts + 1,
         started_at = now(), finished_at = NULL`,
      [slug, step],
    );
    await this.registry.logProvisioning(slug, step, 'started');
  }

  /** Marks a step done (`succeeded` or `skipped`) with what it did; clears the last error. */
  async finish(slug: string, step: string, status: 'succeeded' | 'skipped', detail: Record<string, unknown>): Promise<void> {
    await this.ds.query(
      `UPDATE platform.provisioning_step SET status = $3, detail = $4, last_error = NULL, finished_at = now()
        WHERE tenant_slug = $1 AND step = $2`,
      [slug, step, status, JSON.stringify(detail)],
    );
    await this.registry.logProvisioning(slug, step, status, detail);
  }

  /** Marks a step failed with its reason. */
  async fail(slug: string, step: string, reason: string): Promise<void> {
    await this.ds.query(
      `UPDATE platform.provisioning_step SET status = 'failed', last_error = $3, finished_at = now()
        WHERE tenant_slug = $1 AND step = $2`,
      [slug, step, reason],
    );
    await this.registry.logProvisioning(slug, step, 'failed', { reason });
  }

  /** Forgets the rows of steps whose names start with `prefix` (e.g. a new deletion after a resumed tenant). */
  async clear(slug: string, prefix: string): Promise<void> {
    await this.ds.query(`DELETE FROM platform.provisioning_step WHERE tenant_slug = $1 AND starts_with(step, $2)`, [slug, prefix]);
  }

  /**
   * Runs `fn` while holding the tenant's saga lock (a session advisory lock on a dedicated connection, so it is
   * released when this process dies). @throws TenantOperationInProgressError (409) when another run holds it.
   */
  async withTenantLock<T>(slug: string, fn: () => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.platformUrl, application_name: 'cetate:provisioning-lock' });
    // The lock lives as long as this session; if the server ends it, the lock is gone and the run's next write
    // to the platform database fails on its own connection: no crash from an unhandled 'error' event here.
    client.on('error', () => undefined);
    await client.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS ok', [SAGA_LOCK_CLASS % 2 ** 31, slug]);
      if (!rows[0]?.ok) throw new TenantOperationInProgressError(slug);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::int, hashtext($2))', [SAGA_LOCK_CLASS % 2 ** 31, slug]).catch(() => undefined);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function toState(r: StepRow): StepState {
  return {
    step: r.step,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    detail: r.detail,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}
