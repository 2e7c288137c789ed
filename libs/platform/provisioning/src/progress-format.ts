import type { ProgressEvent } from './provisioning.saga.js';

/**
 * One line per finished step of a saga run, for terminals (`cetate tenant`, the launcher), e.g.
 * `[2/5] database         ok        412 ms  tenant_acme on default created; 4 migration(s) run`;
 * `undefined` for `started` events.
 */
export function formatProgress(e: ProgressEvent): string | undefined {
  if (e.status === 'started') return undefined;
  const label = { succeeded: 'ok', skipped: 'skip', failed: 'FAILED' }[e.status];
  const ms = e.ms === undefined ? '' : `${Math.round(e.ms)} ms`;
  const what = e.status === 'failed' ? (e.error ?? '') : summarize(e.step, e.detail ?? {});
  return `[${e.index}/${e.total}] ${e.step.padEnd(16)} ${label.padEnd(6)} ${ms.padStart(8)}  ${what}`.trimEnd();
}

function summarize(step: string, d: Record<string, unknown>): string {
  if (d.alreadyDone) return 'done before';
  const name = step.replace(/^delete:/, '');
  if (step.startsWith('delete:')) return Object.entries(d).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  switch (name) {
    case 'realm':
      return `realm ${d.realmCreated ? 'created' : 'existed'}; roles +${(d.rolesCreated as unknown[] | undefined)?.length ?? 0}, clients +${(d.clientsCreated as unknown[] | undefined)?.length ?? 0}, first admin ${d.firstAdminCreated ? 'created' : 'existed'}`;
    case 'database':
      return `${String(d.dbName)} on ${String(d.dbCluster)} ${d.created ? 'created' : 'existed'}; ${(d.migrationsRun as unknown[] | undefined)?.length ?? 0} migration(s) run`;
    case 'bucket': {
      const a = d.access as { supported?: boolean; code?: string } | undefined;
      const access = a ? (a.supported ? '; tenant access key and policy set' : `; no per-tenant access key (${a.code ?? 'unsupported'})`) : '';
      return `${String(d.bucket)} ${d.created ? 'created' : 'existed'}${access}`;
    }
    case 'secrets':
      return `data key ${d.dataKeyCreated ? 'created' : 'existed'}; stored ${((d.stored as string[] | undefined) ?? []).join(', ')}`;
    default:
      return Object.entries(d).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ');
  }
}
