import type { AnafCompanyStatus } from '@cetate/invoicing-contracts';
import type { Queryable } from '@cetate/invoicing-data-access';

/** Rows of a `query()` result: TypeORM's PostgreSQL driver answers `UPDATE ... RETURNING` with `[rows, affectedCount]`. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

/** One row of `efactura.anaf_company` (migration `EfacturaAnafCompany1765350000000`). */
export interface AnafCompanyRow {
  cif: string;
  name: string;
  /** Secret store path of the tokens (`anaf/oauth/default` or `anaf/oauth/<cif>`). */
  tokenPath: string;
  status: AnafCompanyStatus;
  authorizedAt: Date | null;
  refreshExpiresAt: Date | null;
  lastRefreshAt: Date | null;
  refusedAt: Date | null;
  refusedReason: string | null;
  warnedAt: Date | null;
  oauthStateExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLS = `cif, name, token_path AS "tokenPath", status, authorized_at AS "authorizedAt", refresh_expires_at AS "refreshExpiresAt",
  last_refresh_at AS "lastRefreshAt", refused_at AS "refusedAt", refused_reason AS "refusedReason", warned_at AS "warnedAt",
  oauth_state_expires_at AS "oauthStateExpiresAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** What a new authorisation writes on its row. */
export interface AuthorizationWrite {
  authorizedAt: Date;
  refreshExpiresAt: Date;
}

/**
 * SQL of `efactura.anaf_company` (the companies of a tenant and their ANAF authorisation, issue 10 point 1). Every
 * instant comes from the caller's clock (tests move it). The OAuth state is only ever handled as its SHA-256.
 */
export class AnafCompanyRepository {
  /** The row of `cif`, or null; `forUpdate` locks it in the caller's transaction. */
  async get(q: Queryable, cif: string, forUpdate = false): Promise<AnafCompanyRow | null> {
    const [row] = (await q.query(`SELECT ${COLS} FROM efactura.anaf_company WHERE cif = $1${forUpdate ? ' FOR UPDATE' : ''}`, [cif])) as AnafCompanyRow[];
    return row ?? null;
  }

  /** Every company, `primaryCif` first, then by CIF. */
  async list(q: Queryable, primaryCif: string): Promise<AnafCompanyRow[]> {
    return q.query(`SELECT ${COLS} FROM efactura.anaf_company ORDER BY (cif = $1) DESC, cif`, [primaryCif]);
  }

  /**
   * Inserts a company unless its CIF (or its token path) is there. `authorization` set: the row starts `authorized`
   * (the tenant's own CIF whose tokens were stored before the table existed). @returns true when inserted.
   */
  async insertIfAbsent(q: Queryable, c: { cif: string; name: string; tokenPath: string; at: Date; authorization?: AuthorizationWrite }): Promise<boolean> {
    const rows: unknown[] = await q.query(
      `INSERT INTO efactura.anaf_company (cif, name, token_path, status, authorized_at, refresh_expires_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING RETURNING cif`,
      [c.cif, c.name, c.tokenPath, c.authorization ? 'authorized' : 'not_authorized', c.authorization?.authorizedAt ?? null, c.authorization?.refreshExpiresAt ?? null, c.at],
    );
    return rows.length === 1;
  }

  /** Renames a company. */
  async rename(q: Queryable, cif: string, name: string, at: Date): Promise<void> {
    await q.query(`UPDATE efactura.anaf_company SET name = $2, updated_at = $3 WHERE cif = $1`, [cif, name, at]);
  }

  /** Stores a pending OAuth state (its SHA-256) valid until `expiresAt`; replaces the previous one. @returns false: no such CIF. */
  async setPendingState(q: Queryable, cif: string, stateSha256: string, expiresAt: Date, at: Date): Promise<boolean> {
    const r = rowsOf<{ cif: string }>(
      await q.query(
        `UPDATE efactura.anaf_company SET oauth_state_sha256 = $2, oauth_state_expires_at = $3, updated_at = $4 WHERE cif = $1 RETURNING cif`,
        [cif, stateSha256, expiresAt, at],
      ),
    );
    return r.length === 1;
  }

  /**
   * Consumes a pending OAuth state: clears it on its row (so it can never be used twice, even by two concurrent
   * callbacks) and returns the row's CIF, token path and the state's expiry; null when no row holds it (unknown or used).
   */
  async takeState(q: Queryable, stateSha256: string, at: Date): Promise<{ cif: string; tokenPath: string; expiresAt: Date } | null> {
    const [row] = rowsOf<{ cif: string; tokenPath: string; expiresAt: Date }>(
      await q.query(
        `UPDATE efactura.anaf_company c SET oauth_state_sha256 = NULL, oauth_state_expires_at = NULL, updated_at = $2
           FROM (SELECT cif, oauth_state_expires_at FROM efactura.anaf_company WHERE oauth_state_sha256 = $1 FOR UPDATE) old
          WHERE c.cif = old.cif
          RETURNING c.cif, c.token_path AS "tokenPath", old.oauth_state_expires_at AS "expiresAt"`,
        [stateSha256, at],
      ),
    );
    return row ?? null;
  }

  /** A completed authorisation: `authorized`, refusal and warning cleared (a new authorisation can warn again). */
  async authorized(q: Queryable, cif: string, a: AuthorizationWrite): Promise<void> {
    await q.query(
      `UPDATE efactura.anaf_company SET status = 'authorized', authorized_at = $2, refresh_expires_at = $3, last_refresh_at = NULL,
         refused_at = NULL, refused_reason = NULL, warned_at = NULL, updated_at = $2 WHERE cif = $1`,
      [cif, a.authorizedAt, a.refreshExpiresAt],
    );
  }

  /** ANAF refused the CIF (HTTP 403): `refused` with the reason, until authorised again. @returns false: no such CIF. */
  async refused(q: Queryable, cif: string, reason: string, at: Date): Promise<boolean> {
    const r = rowsOf<{ cif: string }>(
      await q.query(
        `UPDATE efactura.anaf_company SET status = 'refused', refused_at = $3, refused_reason = $2, updated_at = $3 WHERE cif = $1 RETURNING cif`,
        [cif, reason.slice(0, 500), at],
      ),
    );
    return r.length === 1;
  }

  /**
   * The authorisations whose refresh token ends by `until` (status `authorized`, `expiring` or `expired`), locked for
   * the caller's transaction (two concurrent checks do not both warn).
   */
  async endingBy(q: Queryable, until: Date): Promise<AnafCompanyRow[]> {
    return q.query(
      `SELECT ${COLS} FROM efactura.anaf_company
        WHERE status IN ('authorized', 'expiring', 'expired') AND refresh_expires_at IS NOT NULL AND refresh_expires_at <= $1
        ORDER BY cif FOR UPDATE`,
      [until],
    );
  }

  /** Sets the status from the expiry check; `warned` stamps `warned_at`. */
  async setExpiryStatus(q: Queryable, cif: string, status: 'expiring' | 'expired', at: Date, warned: boolean): Promise<void> {
    await q.query(
      `UPDATE efactura.anaf_company SET status = $2, warned_at = CASE WHEN $4 THEN $3 ELSE warned_at END, updated_at = $3 WHERE cif = $1`,
      [cif, status, at, warned],
    );
  }
}
