import { Column, Entity, PrimaryColumn, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';

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

/** An OAuth token set as ANAF's token endpoint answers it, with the absolute expiry. */
export interface StoredAnafToken {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date;
}

/** Reads and writes the tenant's ANAF token row. */
export class AnafTokenRepository {
  constructor(private readonly ds: DataSource, private readonly id = 'default') {}

  async load(): Promise<StoredAnafToken | null> {
    const row = await this.ds.getRepository(AnafTokenEntity).findOneBy({ id: this.id });
    return row ? { accessToken: row.accessToken, refreshToken: row.refreshToken, expiresAt: row.expiresAt } : null;
  }

  /** Saves the newest token set; keeps the previous refresh token when ANAF did not send a new one. */
  async save(t: StoredAnafToken): Promise<void> {
    const prev = await this.load();
    await this.ds.getRepository(AnafTokenEntity).upsert(
      {
        id: this.id,
        accessToken: t.accessToken,
        refreshToken: t.refreshToken ?? prev?.refreshToken ?? null,
        expiresAt: t.expiresAt,
        authorizedAt: new Date(),
        updatedAt: new Date(),
      },
      ['id'],
    );
  }
}
