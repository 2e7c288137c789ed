import { Column, Entity, PrimaryColumn, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { AnafTokenSet, AnafTokenStore } from '@cetate/anaf-client';

/**
 * The tenant's ANAF OAuth tokens (ANAF-EFACTURA.md "OAuth 2.0"): one row per CIF whose certificate
 * holder authorised Cetate. The newest refresh token ANAF returns is always kept, so the ~90-day
 * authorisation does not lapse silently. Stored in the tenant database (schema `efactura`); moving it
 * behind the secrets port (Vault) comes with `platform/secrets`.
 */
@Entity({ schema: 'efactura', name: 'anaf_token' })
export class AnafTokenEntity {
  /** `default` for the tenant's own authorisation. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', name: 'access_token' })
  accessToken!: string;

  @Column({ type: 'text', name: 'refresh_token', nullable: true })
  refreshToken!: string | null;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', name: 'authorized_at' })
  authorizedAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}

/** Creates `efactura.anaf_token`. */
export class AnafToken1732190200000 implements MigrationInterface {
  name = 'AnafToken1732190200000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS efactura`);
    await q.query(`CREATE TABLE IF NOT EXISTS efactura.anaf_token (
      id text PRIMARY KEY,
      access_token text NOT NULL,
      refresh_token text,
      expires_at timestamptz NOT NULL,
      authorized_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS efactura.anaf_token`);
  }
}

/**
 * {@link AnafTokenStore} backed by the tenant database (`efactura.anaf_token`, row `id`).
 * `save` keeps the newest refresh token ANAF returned (ANAF-EFACTURA.md "OAuth").
 */
export class PgAnafTokenStore implements AnafTokenStore {
  constructor(private readonly dataSource: () => Promise<DataSource>, private readonly id = 'default') {}

  /** The stored tokens, or `undefined` when the company has not authorised the application yet. */
  async load(): Promise<AnafTokenSet | undefined> {
    const row = await (await this.dataSource()).getRepository(AnafTokenEntity).findOneBy({ id: this.id });
    if (!row || !row.refreshToken) return undefined;
    return { accessToken: row.accessToken, refreshToken: row.refreshToken, expiresAt: row.expiresAt, tokenType: 'Bearer' };
  }

  /** Stores refreshed tokens; `authorized_at` (start of ANAF's ~90-day authorisation) is kept. */
  async save(t: AnafTokenSet): Promise<void> {
    await this.write(t, false);
  }

  /** Stores the tokens of a new authorisation (code exchange): `authorized_at` becomes now. */
  async saveAuthorization(t: AnafTokenSet): Promise<void> {
    await this.write(t, true);
  }

  private async write(t: AnafTokenSet, authorized: boolean): Promise<void> {
    await (await this.dataSource()).query(
      `INSERT INTO efactura.anaf_token (id, access_token, refresh_token, expires_at, authorized_at, updated_at)
       VALUES ($1, $2, $3, $4, now(), now())
       ON CONFLICT (id) DO UPDATE SET access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token,
         expires_at = EXCLUDED.expires_at, updated_at = now()${authorized ? ', authorized_at = now()' : ''}`,
      [this.id, t.accessToken, t.refreshToken, t.expiresAt],
    );
  }
}
