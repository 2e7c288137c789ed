import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The companies of a tenant and their ANAF authorisation (issue 10 point 1): table `efactura.anaf_company`, one row per
 * company CIF the tenant connects to ANAF with the OAuth authorization-code flow (ANAF-EFACTURA.md "OAuth 2.0"). The
 * tenant's own CIF (registry) gets its row on first use. No token is stored here: tokens live in the secret store at
 * `token_path` (`anaf/oauth/default` for the tenant's own CIF, `anaf/oauth/<cif>` for the others). The pending OAuth
 * `state` is kept only as its SHA-256.
 */
export class EfacturaAnafCompany1765350000000 implements MigrationInterface {
  name = 'EfacturaAnafCompany1765350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS efactura`);
    await q.query(`CREATE TABLE IF NOT EXISTS efactura.anaf_company (
      cif text PRIMARY KEY CHECK (cif ~ '^[0-9]{2,10}$'),
      name text NOT NULL,
      token_path text NOT NULL UNIQUE,
      status text NOT NULL DEFAULT 'not_authorized'
        CHECK (status IN ('not_authorized','authorized','expiring','expired','refused','revoked')),
      authorized_at timestamptz,
      refresh_expires_at timestamptz,
      last_refresh_at timestamptz,
      refused_at timestamptz,
      refused_reason text,
      warned_at timestamptz,
      oauth_state_sha256 text,
      oauth_state_expires_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    // the public OAuth callback finds the pending authorisation by its state
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS anaf_company_oauth_state_uq ON efactura.anaf_company (oauth_state_sha256)
      WHERE oauth_state_sha256 IS NOT NULL`);
    const comments: Array<[string, string]> = [
      ['cif', 'company CUI/CIF, digits only (no RO prefix), control digit checked (ANAF CUI algorithm)'],
      ['name', 'company name as the tenant admin entered it (the registry display name for the tenant own CIF)'],
      ['token_path', 'secret store path of the OAuth tokens: anaf/oauth/default (tenant own CIF, shared with the sending) or anaf/oauth/<cif>'],
      ['status', 'not_authorized | authorized | expiring (refresh token ends within 30 days) | expired | refused (ANAF 403 on this CIF) | revoked (ANAF refused the refresh token)'],
      ['authorized_at', 'instant of the last completed authorization-code exchange'],
      ['refresh_expires_at', 'authorized_at + 365 days: end of the refresh token (ANAF-EFACTURA.md); a rotation does not extend it'],
      ['last_refresh_at', 'instant of the last refresh_token grant (the newest refresh token is in the secret store)'],
      ['refused_at', 'instant ANAF last refused this CIF (403) or its refresh token'],
      ['refused_reason', 'ANAF answer of the refusal (HTTP status and body excerpt)'],
      ['warned_at', 'instant the 30-day warning event of the current authorisation was enqueued (null: not yet)'],
      ['oauth_state_sha256', 'hex SHA-256 of the pending OAuth state (the state itself is never stored)'],
      ['oauth_state_expires_at', 'end of the pending OAuth state (10 minutes after the authorize redirect)'],
    ];
    for (const [col, text] of comments) {
      await q.query(`COMMENT ON COLUMN efactura.anaf_company.${col} IS '${text.replace(/'/g, "''")}'`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS efactura.anaf_company`);
  }
}
