import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `platform.provisioning_step` in `cetate_platform`: the state of every saga step of every tenant (one row per
 * tenant and step), so a re-run knows what is done, what failed and why. Steps of a deletion are named
 * `delete:<step>`. Rows go with the tenant row (ON DELETE CASCADE).
 */
export class ProvisioningStep1764547200000 implements MigrationInterface {
  name = 'ProvisioningStep1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS platform.provisioning_step (
      tenant_slug text NOT NULL REFERENCES platform.tenant (slug) ON DELETE CASCADE,
      step text NOT NULL,
      status text NOT NULL CHECK (status IN ('running','succeeded','failed','skipped')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      detail jsonb NOT NULL DEFAULT '{}',
      started_at timestamptz,
      finished_at timestamptz,
      PRIMARY KEY (tenant_slug, step)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS platform.provisioning_step`);
  }
}
