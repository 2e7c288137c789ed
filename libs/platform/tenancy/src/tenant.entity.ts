import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Lifecycle of a tenant: created by the provisioning saga, `active` when usable, `suspended` by operators. */
export type TenantStatus = 'provisioning' | 'active' | 'suspended';

/** Row of `platform.tenant` in `cetate_platform` (the tenant registry). */
@Entity({ schema: 'platform', name: 'tenant' })
export class TenantEntity {
  /** `[a-z][a-z0-9-]{1,30}`. */
  @PrimaryColumn({ type: 'text' })
  slug!: string;

  @Column({ type: 'text', name: 'display_name' })
  displayName!: string;

  /** Romanian CUI, digits only. */
  @Column({ type: 'text' })
  cif!: string;

  /** Keycloak realm. */
  @Column({ type: 'text' })
  realm!: string;

  /** `tenant_<slug with - as _>`. */
  @Column({ type: 'text', name: 'db_name' })
  dbName!: string;

  /** `cetate-<slug>`. */
  @Column({ type: 'text' })
  bucket!: string;

  /** Which PostgreSQL cluster holds the tenant database (scale-out, ARCHITECTURE.md §6). */
  @Column({ type: 'text', name: 'db_cluster', default: 'default' })
  dbCluster!: string;

  @Column({ type: 'text', default: 'provisioning' })
  status!: TenantStatus;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}

/** One step of a provisioning saga run (`platform.provisioning_log`). */
@Entity({ schema: 'platform', name: 'provisioning_log' })
export class ProvisioningLogEntity {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text', name: 'tenant_slug' })
  tenantSlug!: string;

  /** Saga step, e.g. `realm`, `database`, `bucket`, `secrets`, `event`. */
  @Column({ type: 'text' })
  step!: string;

  @Column({ type: 'text' })
  outcome!: 'started' | 'succeeded' | 'failed' | 'skipped';

  @Column({ type: 'jsonb' })
  detail!: Record<string, unknown>;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
