import type { SupplierCheck } from '@cetate/invoicing-contracts';
import type { TaxpayerLookup } from './taxpayer/taxpayer-lookup.js';
import { toSupplierCheck } from './taxpayer/taxpayer-view.js';

/**
 * The supplier check of a received invoice (issue 10 point 3: "check suppliers of inbound bills (inactive, not
 * VAT-registered)") through the cached, rate-limited taxpayer lookup (PlatitorTvaRest v9), on the invoice's issue date
 * (BT-2). Concurrent checks are batched by the lookup.
 * @returns a function for `InboxSyncFlow`'s `supplierCheck` option; it throws what the lookup throws (the flow then
 *   records the invoice without the check).
 */
export function supplierCheckOf(lookup: Pick<TaxpayerLookup, 'get'>): (cui: string, issueDate: string) => Promise<SupplierCheck> {
  return async (cui, issueDate) => toSupplierCheck(await lookup.get(cui, issueDate));
}
