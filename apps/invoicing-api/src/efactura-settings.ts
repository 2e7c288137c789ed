import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { EfacturaSettingsView } from '@cetate/invoicing-contracts';
import { InvoicingSettingsEntity } from '@cetate/invoicing-data-access';
import type { Actor, TenantDataSources, TenantInfo } from './ports.js';

/** Row key of the e-Factura settings in `invoicing.settings`. */
export const EFACTURA_SETTINGS_KEY = 'efactura';

/**
 * The tenant's e-Factura settings (`PUT /v1/settings/efactura` body, strict):
 * - `autoSend`: send `draft` invoices automatically once issued (BT-2 has come, Romanian calendar), when their legal
 *   deadline is at most `workingDaysBefore` Romanian working days away (or has passed);
 * - `workingDaysBefore`: 0..4 (0 = on the deadline day itself; 4 = the first working day after the issue date, since
 *   the deadline is the 5th).
 */
export const EfacturaSettingsSchema = z
  .object({
    autoSend: z.boolean(),
    workingDaysBefore: z.number().int().min(0).max(4),
  })
  .strict();
export type EfacturaSettings = z.infer<typeof EfacturaSettingsSchema>;

/** Settings of a tenant that never wrote any: automatic sending off, 1 working day before the deadline. */
export const DEFAULT_EFACTURA_SETTINGS: EfacturaSettings = Object.freeze({ autoSend: false, workingDaysBefore: 1 });

/** Reads and writes the e-Factura settings of a tenant (table `invoicing.settings`, key `efactura`). */
export class EfacturaSettingsService {
  constructor(private readonly dataSources: TenantDataSources) {}

  /** `GET /v1/settings/efactura`: the settings, the defaults when none were written. */
  async get(tenant: TenantInfo): Promise<EfacturaSettingsView> {
    const ds = await this.dataSources.forTenant(tenant.slug);
    return toView(await ds.manager.findOneBy(InvoicingSettingsEntity, { key: EFACTURA_SETTINGS_KEY }));
  }

  /**
   * `PUT /v1/settings/efactura`: replaces the settings. @throws ZodError (400 `VALIDATION_FAILED`) unless the body is
   * exactly `{ autoSend: boolean, workingDaysBefore: 0..4 }`.
   */
  async put(tenant: TenantInfo, actor: Actor, body: unknown): Promise<EfacturaSettingsView> {
    const value = EfacturaSettingsSchema.parse(body);
    const ds = await this.dataSources.forTenant(tenant.slug);
    await ds.manager.upsert(
      InvoicingSettingsEntity,
      { key: EFACTURA_SETTINGS_KEY, value, updatedAt: new Date(), updatedBy: actor.username ?? actor.clientId ?? actor.subject },
      ['key'],
    );
    return toView(await ds.manager.findOneBy(InvoicingSettingsEntity, { key: EFACTURA_SETTINGS_KEY }));
  }

  /**
   * The settings as the automatic sending reads them, inside the caller's unit of work; a stored value that no longer
   * matches the schema counts as the defaults (automatic sending off).
   */
  async read(m: EntityManager): Promise<EfacturaSettings> {
    const row = await m.findOneBy(InvoicingSettingsEntity, { key: EFACTURA_SETTINGS_KEY });
    const parsed = EfacturaSettingsSchema.safeParse(row?.value);
    return parsed.success ? parsed.data : DEFAULT_EFACTURA_SETTINGS;
  }
}

function toView(row: InvoicingSettingsEntity | null): EfacturaSettingsView {
  const parsed = EfacturaSettingsSchema.safeParse(row?.value);
  const value = parsed.success ? parsed.data : DEFAULT_EFACTURA_SETTINGS;
  return { ...value, updatedAt: row?.updatedAt.toISOString() ?? null, updatedBy: row?.updatedBy ?? null };
}
