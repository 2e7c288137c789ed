/**
 * Pure rules of the "Conexiune ANAF" screen (issue 10 point 1): how each ANAF authorisation status of a tenant
 * company (`AnafCompanyView.status`, `@cetate/invoicing-contracts`) is shown, and when an inbox-sync run has ended.
 */
import type { AnafCompanyStatus, InboxSyncRunView } from './api.js';

/**
 * Statuses that need a tenant admin and are shown as an alert above the companies (issue 10 point 1: "a visible
 * status 30 days before the refresh token's expiry (365 days), and a clear state when ANAF refuses (403)"):
 * `expiring` (refresh token ends within 30 days), `expired`, `refused` (ANAF 403 on the CIF), `revoked` (ANAF refused
 * the refresh token before its end).
 */
export const ATTENTION_STATUSES: ReadonlySet<AnafCompanyStatus> = new Set(['expiring', 'expired', 'refused', 'revoked']);

/** Mantine colour of a status badge and alert (the text carries the meaning; colour is only a hint). */
export function anafStatusColor(status: AnafCompanyStatus): string {
  switch (status) {
    case 'authorized':
      return 'green';
    case 'expiring':
      return 'yellow';
    case 'not_authorized':
      return 'gray';
    default:
      return 'red';
  }
}

/** Run statuses after which nothing changes (`done`, `failed`, `skipped`): the screen stops polling the run then. */
export function isRunFinished(status: InboxSyncRunView['status']): boolean {
  return status === 'done' || status === 'failed' || status === 'skipped';
}

/** Whether a company's inbox can be synchronised now: the API accepts only authorised CIFs (also while `expiring`). */
export function canSync(status: AnafCompanyStatus): boolean {
  return status === 'authorized' || status === 'expiring';
}
