import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The invoicing module's settings of one tenant (table `invoicing.settings`), one row per group, the value a JSON
 * object validated by its owner (e.g. key `efactura`: `{ autoSend, workingDaysBefore }`, see `invoicing-api`).
 */
@Entity({ schema: 'invoicing', name: 'settings' })
export class InvoicingSettingsEntity {
  /** The settings group, e.g. `efactura`. */
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: Record<string, unknown>;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;

  /** Who wrote the value last (user name, client id or subject of the token). */
  @Column({ type: 'text', name: 'updated_by', nullable: true })
  updatedBy!: string | null;
}
