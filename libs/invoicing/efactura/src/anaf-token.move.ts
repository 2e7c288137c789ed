import type { DataSource } from 'typeorm';
import type { SecretStore, SecretValue } from '@cetate/platform-secrets';
import { anafTokenSecretPath } from './anaf-token.store.js';

/** What {@link moveAnafTokensToSecretStore} did. */
export interface MoveAnafTokensResult {
  /** Rows of `efactura.anaf_token` written to the secret store. */
  moved: number;
  /** Rows not written because the store already held a newer (or equal) `updated_at` for that id. */
  keptNewer: number;
  /** True when this call dropped `efactura.anaf_token` (false: it did not exist). */
  dropped: boolean;
}

interface LegacyRow {
  id: string;
  access_token: string;
  refresh_token: string | null;
  expires_at: Date;
  authorized_at: Date;
  updated_at: Date;
}

/**
 * Post-migration step of the e-Factura module (issue 5 point 5): moves the ANAF OAuth tokens of one
 * tenant from its database (legacy table `efactura.anaf_token`, migration `AnafToken1732190200000`) into
 * the secret store at `anaf/oauth/<id>`, then DROPs the table, so no token stays in clear in any database.
 *
 * Crash-safe and idempotent: in one transaction of `dataSource` (the tenant database) the rows are
 * locked (`FOR UPDATE`), each is written to the store, and the table is dropped last; the DROP commits
 * only after every row is in the store, so a crash at any point leaves the table for a re-run, which
 * writes again only rows that are newer than what the store holds (compared on `updated_at`, so a
 * refresh stored in between is never overwritten by the older row). When the table does not exist
 * (fresh tenant, or already moved) nothing happens. Calls `ensureTenant` when there is something to move.
 * @param dataSource an initialised DataSource of the tenant database.
 * @param tenantSlug the tenant's slug (its secrets' namespace).
 * @throws SecretStoreError from the store; the table is then kept.
 */
export async function moveAnafTokensToSecretStore(dataSource: DataSource, store: SecretStore, tenantSlug: string): Promise<MoveAnafTokensResult> {
  return dataSource.transaction(async (m) => {
    const [exists] = (await m.query(`SELECT to_regclass('efactura.anaf_token') IS NOT NULL AS e`)) as Array<{ e: boolean }>;
    if (!exists?.e) return { moved: 0, keptNewer: 0, dropped: false };
    // Takes the table lock the DROP needs anyway, first: writers of the old code wait, none is lost.
    await m.query(`LOCK TABLE efactura.anaf_token IN ACCESS EXCLUSIVE MODE`);
    const rows = (await m.query(
      `SELECT id, access_token, refresh_token, expires_at, authorized_at, updated_at FROM efactura.anaf_token ORDER BY id`,
    )) as LegacyRow[];
    let moved = 0;
    let keptNewer = 0;
    if (rows.length) await store.ensureTenant(tenantSlug);
    for (const r of rows) {
      const path = anafTokenSecretPath(r.id);
      const current = await store.get(tenantSlug, path);
      if (current?.updated_at && new Date(current.updated_at).getTime() >= r.updated_at.getTime()) {
        keptNewer++;
        continue;
      }
      const value: SecretValue = {
        access_token: r.access_token,
        token_type: 'Bearer',
        expires_at: r.expires_at.toISOString(),
        authorized_at: r.authorized_at.toISOString(),
        updated_at: r.updated_at.toISOString(),
        ...(r.refresh_token ? { refresh_token: r.refresh_token } : {}),
      };
      await store.put(tenantSlug, path, value);
      moved++;
    }
    await m.query(`DROP TABLE efactura.anaf_token`);
    return { moved, keptNewer, dropped: true };
  });
}
