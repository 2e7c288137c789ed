import type { Taxpayer } from '@cetate/anaf-client';
import type { SupplierCheck } from '@cetate/invoicing-contracts';
import type { TaxpayerLookup } from './taxpayer/taxpayer-lookup.js';
import { toSupplierCheck } from './taxpayer/taxpayer-view.js';

/**
 * VAT registration on `day` (`YYYY-MM-DD`) from the periods ANAF lists (`perioade_TVA`: `data_inceput_ScpTVA` ..
 * `data_sfarsit_ScpTVA`, open-ended when empty; a period annulled by `data_anul_imp_ScpTVA` ends there).
 * @returns null when ANAF lists no periods (then the day's `scpTVA` is all there is).
 */
export function vatRegisteredOn(t: Pick<Taxpayer, 'vatPeriods'>, day: string): boolean | null {
  if (!t.vatPeriods.length) return null;
  return t.vatPeriods.some((p) => {
    const end = [p.to, p.annulledOn].filter((x): x is string => !!x).sort()[0];
    return !!p.from && p.from <= day && (!end || day <= end);
  });
}

/**
 * The supplier check of a received invoice (issue 10 point 3: "check suppliers of inbound bills (inactive, not
 * VAT-registered)") through the cached, rate-limited taxpayer lookup (PlatitorTvaRest v9).
 *
 * ANAF is asked once a day per supplier (the lookup's 24 h cache is keyed by CUI and day), not once per invoice date:
 * a 5,000-invoice inbox from 40 suppliers over 20 days is 40 answers, not 800 calls at 1 a second. VAT registration
 * on the issue date (BT-2) comes from the answer's `perioade_TVA`; inactivity is today's `statusInactivi` with its
 * `dataInactivare` on or before the issue date (a supplier reactivated since is reported active: ANAF's answer of the
 * day carries no history of reactivations).
 * @returns a function for `InboxSyncFlow`'s `supplierCheck` option; it throws what the lookup throws (the flow then
 *   records the invoice without the check).
 */
export function supplierCheckOf(lookup: Pick<TaxpayerLookup, 'get' | 'getMany'>): InboxSupplierCheck {
  const check = async (cui: string, issueDate: string) => {
    const r = await lookup.get(cui);
    const check = toSupplierCheck(r);
    if (!r.found) return check;
    const t = r.taxpayer;
    return {
      ...check,
      vatRegistered: vatRegisteredOn(t, issueDate) ?? t.vatRegistered,
      inactive: t.inactive && (!t.inactiveSince || t.inactiveSince <= issueDate),
    };
  };
  // one call per 100 suppliers before a run's downloads, instead of one paced call per lane waiting on its own check
  return Object.assign(check, { warm: async (cuis: string[]) => void (cuis.length ? await lookup.getMany(cuis) : undefined) });
}

/**
 * The supplier check the inbox sync uses: `(cui, issueDate)` → {@link SupplierCheck}, and `warm(cuis)` that asks ANAF
 * for many suppliers at once (calls of 100) so the per-invoice checks are cache hits.
 */
export type InboxSupplierCheck = ((cui: string, issueDate: string) => Promise<SupplierCheck>) & { warm?: (cuis: string[]) => Promise<void> };
