import { parseArgs } from 'node:util';
import type { TenantProvisioningView } from '@cetate/platform-provisioning';
import { EXIT, UsageError, type CliIo } from './cli-io.js';

/** Usage of `cetate tenant`. */
export const TENANT_USAGE = `usage:
  cetate tenant create SLUG --name NAME --cif CIF --admin-email EMAIL [--admin-username U] [--db-cluster C]
  cetate tenant list [--json]
  cetate tenant show SLUG [--json]
  cetate tenant suspend SLUG
  cetate tenant resume SLUG
  cetate tenant migrate (SLUG... | --all)
  cetate tenant export SLUG --out FILE.zip
  cetate tenant delete SLUG [--export FILE.zip] --yes

Tenant lifecycle, run in this process against the platform's services (the provisioning saga):
  create   realm -> database + every module's migrations -> bucket -> secrets -> platform.tenant.provisioned,
           shown step by step; re-running it with the same slug finishes a half-provisioned tenant or retries
           a failed step. Prints the first admin's temporary password once (to change at first login).
  list     one line per tenant; --json: one JSON object per line and tenant {slug, status, ..., steps}
  migrate  runs the pending module migrations (upgrade); --all: every tenant
  export   writes one zip: manifest.json, database.sql (pg_dump), objects/<key>
  delete   removes realm, bucket, database, secrets and the registry entry; needs --yes
environment: DATABASE_URL, PLATFORM_DATABASE_URL, PG_CLUSTERS, AMQP_URL, S3_*, KEYCLOAK_URL,
  KEYCLOAK_ADMIN_CLIENT_ID/SECRET, SECRET_STORE, CETATE_MASTER_KEY (see README)
exit: 0 ok, 1 a step or service failed (the reason is printed), 2 usage error`;

type Services = Awaited<ReturnType<typeof import('@cetate/platform-api').openPlatformServices>>;

/** One JSON-safe object per tenant (what `list --json` and `show --json` print). */
export function tenantJson(t: TenantProvisioningView): Record<string, unknown> {
  return {
    slug: t.slug,
    status: t.status,
    displayName: t.displayName,
    cif: t.cif,
    realm: t.realm,
    dbName: t.dbName,
    dbCluster: t.dbCluster,
    bucket: t.bucket,
    createdAt: t.createdAt.toISOString(),
    steps: t.steps.map((s) => ({
      step: s.step,
      status: s.status,
      attempts: s.attempts,
      lastError: s.lastError,
      startedAt: s.startedAt?.toISOString() ?? null,
      finishedAt: s.finishedAt?.toISOString() ?? null,
    })),
  };
}

function stepLine(t: TenantProvisioningView): string {
  return t.steps.map((s) => `${s.step}:${s.status}`).join(' ') || '-';
}

/**
 * `cetate tenant ...`: the tenant lifecycle in this process (see {@link TENANT_USAGE}). Opens the platform services
 * from the environment (`platformServicesConfigFromEnv`) only for commands that need them.
 * @returns 0 ok, 1 failure (reason printed on stderr), 2 usage.
 */
export async function runTenant(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError('tenant needs a sub-command');
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(TENANT_USAGE);
    return EXIT.OK;
  }
  const { values, positionals } = parse(rest);
  const { formatProgress } = await import('@cetate/platform-provisioning');
  const one = (): string => {
    if (positionals.length !== 1) throw new UsageError(`tenant ${sub} needs exactly one SLUG`);
    return positionals[0]!;
  };
  // Validate the command line fully before any service is opened.
  let action: (s: Services) => Promise<number>;
  switch (sub) {
    case 'create': {
      const slug = one();
      const need = (k: 'name' | 'cif' | 'admin-email'): string => {
        const v = values[k];
        if (typeof v !== 'string' || !v) throw new UsageError(`tenant create needs --${k}`);
        return v;
      };
      const input = {
        slug,
        displayName: need('name'),
        cif: need('cif'),
        admin: { email: need('admin-email'), ...(typeof values['admin-username'] === 'string' ? { username: values['admin-username'] } : {}) },
        ...(typeof values['db-cluster'] === 'string' ? { dbCluster: values['db-cluster'] } : {}),
      };
      action = async (s) => {
        io.out(`tenant ${slug}: provisioning`);
        const r = await s.saga.create(input, (e) => {
          const line = formatProgress(e);
          if (line) io.out(line);
        });
        io.out(`tenant ${slug}: ${r.tenant.status}`);
        if (r.firstAdmin) {
          io.out(`first tenant admin: ${r.firstAdmin.username} / ${r.firstAdmin.temporaryPassword} (temporary: must be changed at first login; shown only now)`);
        }
        return EXIT.OK;
      };
      break;
    }
    case 'list':
      action = async (s) => {
        const all = await s.saga.list();
        if (values.json) for (const t of all) io.out(JSON.stringify(tenantJson(t)));
        else {
          for (const t of all) io.out(`${t.slug.padEnd(24)} ${t.status.padEnd(13)} ${t.cif.padEnd(11)} ${stepLine(t)}`);
          io.out(`${all.length} tenant(s)`);
        }
        return EXIT.OK;
      };
      break;
    case 'show': {
      const slug = one();
      action = async (s) => {
        const t = await s.saga.show(slug);
        if (values.json) io.out(JSON.stringify(tenantJson(t)));
        else {
          io.out(`${t.slug}: ${t.status} — ${t.displayName}, CIF ${t.cif}, realm ${t.realm}, database ${t.dbName} on ${t.dbCluster}, bucket ${t.bucket}`);
          for (const st of t.steps) io.out(`  ${st.step.padEnd(16)} ${st.status.padEnd(9)} attempts ${st.attempts}${st.lastError ? `  last error: ${st.lastError}` : ''}`);
        }
        return EXIT.OK;
      };
      break;
    }
    case 'suspend':
    case 'resume': {
      const slug = one();
      action = async (s) => {
        const t = sub === 'suspend' ? await s.saga.suspend(slug) : await s.saga.resume(slug);
        io.out(`tenant ${slug}: ${t.status}`);
        return EXIT.OK;
      };
      break;
    }
    case 'migrate': {
      if (values.all ? positionals.length > 0 : positionals.length === 0) throw new UsageError('tenant migrate needs SLUG... or --all');
      action = async (s) => {
        const slugs = values.all ? (await s.saga.list()).filter((t) => t.status !== 'provisioning').map((t) => t.slug) : positionals;
        let failed = 0;
        for (const slug of slugs) {
          try {
            const r = await s.saga.migrate(slug);
            io.out(`${slug}: ${r.migrationsRun.length ? `ran ${r.migrationsRun.join(', ')}` : 'up to date'}`);
          } catch (err) {
            failed++;
            io.err(`${slug}: FAILED ${(err as Error).message}`);
          }
        }
        io.out(`${slugs.length} tenant(s) checked, ${failed} failed`);
        return failed ? EXIT.FAILED : EXIT.OK;
      };
      break;
    }
    case 'export': {
      const slug = one();
      const out = values.out;
      if (typeof out !== 'string' || !out) throw new UsageError('tenant export needs --out FILE.zip');
      action = async (s) => {
        const r = await s.saga.exportTo(await s.saga.show(slug), out, (done, total) => io.err(`export ${slug}: ${done}/${total} objects`));
        io.out(`tenant ${slug}: exported to ${r.file} (${r.bytes} bytes)`);
        return EXIT.OK;
      };
      break;
    }
    case 'delete': {
      const slug = one();
      if (!values.yes) throw new UsageError(`tenant delete removes every piece of data of "${slug}": add --yes (and --export FILE.zip to keep a copy first)`);
      const exportTo = typeof values.export === 'string' ? values.export : undefined;
      action = async (s) => {
        const r = await s.saga.delete(slug, exportTo ? { exportTo } : {}, (e) => {
          const line = formatProgress(e);
          if (line) io.out(line);
        });
        io.out(`tenant ${slug}: deleted${r.exported ? ` (export kept in ${r.exported})` : ''}`);
        return EXIT.OK;
      };
      break;
    }
    default:
      throw new UsageError(`unknown tenant sub-command "${sub}"`);
  }

  const { openPlatformServices, platformServicesConfigFromEnv } = await import('@cetate/platform-api');
  let services: Services;
  try {
    services = await openPlatformServices({ ...platformServicesConfigFromEnv(env), name: 'cetate-cli' });
  } catch (err) {
    io.err(`cetate tenant: cannot reach the platform services: ${(err as Error).message}`);
    return EXIT.FAILED;
  }
  try {
    return await action(services);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = err as Error & { code?: string };
    io.err(`cetate tenant ${sub}: ${e.code ? `${e.code}: ` : ''}${e.message}`);
    return EXIT.FAILED;
  } finally {
    await services.close();
  }
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        cif: { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-username': { type: 'string' },
        'db-cluster': { type: 'string' },
        json: { type: 'boolean' },
        all: { type: 'boolean' },
        yes: { type: 'boolean' },
        out: { type: 'string' },
        export: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
