import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates schema `platform` in `cetate_platform`: the tenant registry (`platform.tenant`) and the
 * provisioning log (`platform.provisioning_log`). ARCHITECTURE.md §2.
 */
export class PlatformTenantRegistry1732100000000 implements MigrationInterface {
  name = 'PlatformTenantRegistry1732100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS platform`);
    await q.query(`CREATE TABLE IF NOT EXISTS platform.tenant (
      slug text PRIMARY KEY CHECK (slug ~ '^[a-z][a-z0-9-]{1,30}$'),
      display_name text NOT NULL,
      cif text NOT NULL CHECK (cif ~ '^[0-9]{2,10}$'),
      realm text NOT NULL UNIQUE,
      db_name text NOT NULL UNIQUE CHECK (db_name = 'tenant_' || replace(slug, '-', '_')),
      bucket text NOT NULL UNIQUE CHECK (bucket = 'cetate-' || slug),
      db_cluster text NOT NULL DEFAULT 'default',
      status text NOT NULL DEFAULT 'provisioning' CHECK (status IN ('provisioning','active','suspended')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS tenant_cif_idx ON platform.tenant (cif)`);
    await q.query(`CREATE TABLE IF NOT EXISTS platform.provisioning_log (
      id bigserial PRIMARY KEY,
      tenant_slug text NOT NULL REFERENCES platform.tenant (slug) ON DELETE CASCADE,
      step text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('started','succeeded','failed','skipped')),
      detail jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS provisioning_log_tenant_idx ON platform.provisioning_log (tenant_slug, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS platform.provisioning_log`);
    await q.query(`DROP TABLE IF EXISTS platform.tenant`);
  }
}
