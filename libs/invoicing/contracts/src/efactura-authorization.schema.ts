import { z } from 'zod';
// the dependency-free entry of the messaging library (zod only): importing the contracts never loads amqplib
import { defineEvent } from '@cetate/platform-messaging/contracts';

/**
 * ANAF authorisation of a tenant company (issue 10 point 1): each company CIF of a tenant is connected to ANAF with the
 * OAuth authorization-code flow (ANAF-EFACTURA.md "OAuth 2.0"); the refresh token lives 365 days (ANAF-EFACTURA.md
 * "What changed in 2025-2026"), so the tenant is warned 30 days before the authorisation lapses.
 */

/** Routing key of {@link EfacturaAuthorizationExpiringEvent}. */
export const EFACTURA_AUTHORIZATION_EXPIRING_KEY = 'invoicing.efactura.authorization-expiring';

/** Days before the refresh token's end that the warning is given (issue 10 point 1). */
export const ANAF_AUTHORIZATION_WARNING_DAYS = 30;

/**
 * `invoicing.efactura.authorization-expiring` v1: the ANAF authorisation of one tenant company ends within
 * {@link ANAF_AUTHORIZATION_WARNING_DAYS} days (or has ended): a tenant admin must authorise the CIF again
 * (`POST /v1/anaf/companies/:cif/authorization`), else sending and the inbox sync of that CIF stop. Emitted once per
 * authorisation (a new authorisation can warn again).
 * - `refreshExpiresAt`: when ANAF's refresh token of that authorisation stops working (authorisation + 365 days);
 * - `daysLeft`: whole days from the warning to `refreshExpiresAt`, rounded up; 0 or less = already ended.
 */
export const EfacturaAuthorizationExpiringEventSchema = z.object({
  tenant: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
  cif: z.string().regex(/^\d{2,10}$/).describe('the tenant company CIF (CUI), digits only, whose authorisation ends'),
  refreshExpiresAt: z.string().datetime().describe('instant the refresh token (ANAF: 365 days) stops working'),
  daysLeft: z.number().int().describe('whole days left at the warning, rounded up; <= 0: already ended'),
});
export type EfacturaAuthorizationExpiringEvent = z.infer<typeof EfacturaAuthorizationExpiringEventSchema>;

/** Event contract of {@link EfacturaAuthorizationExpiringEventSchema}. */
export const EfacturaAuthorizationExpiringEvent = defineEvent({
  routingKey: EFACTURA_AUTHORIZATION_EXPIRING_KEY,
  version: 1,
  schema: EfacturaAuthorizationExpiringEventSchema,
  description: 'The ANAF authorisation (OAuth refresh token, 365 days) of a tenant company ends within 30 days: a tenant admin must authorise the CIF again.',
});

/** Statuses of a tenant company's ANAF authorisation (`efactura.anaf_company.status`). */
export const ANAF_COMPANY_STATUSES = ['not_authorized', 'authorized', 'expiring', 'expired', 'refused', 'revoked'] as const;
export type AnafCompanyStatus = (typeof ANAF_COMPANY_STATUSES)[number];

/** One company as `GET /v1/anaf/companies` lists it. */
export interface AnafCompanyView {
  /** CUI, digits only (no `RO`). */
  cif: string;
  name: string;
  /** True for the tenant's own CIF (registry): its tokens are the ones the e-Factura sending uses. */
  primary: boolean;
  /**
   * `not_authorized` (never connected), `authorized`, `expiring` (refresh token ends within 30 days), `expired` (it
   * ended), `refused` (ANAF answered 403: the certificate holder has no right on this CIF; kept until authorised
   * again), `revoked` (ANAF refused the refresh token before its end).
   */
  status: AnafCompanyStatus;
  /** ISO-8601 instant of the last completed authorisation, or null. */
  authorizedAt: string | null;
  /** ISO-8601 instant the authorisation's refresh token ends (authorizedAt + 365 days), or null. */
  refreshExpiresAt: string | null;
  /** ISO-8601 instant of the last token refresh, or null. */
  lastRefreshAt: string | null;
  /** Whole days to `refreshExpiresAt` (rounded up; <= 0 once ended), or null. */
  daysToExpiry: number | null;
  /** What the tenant admin must do, in words; null when nothing. */
  warning: string | null;
  /** ANAF's answer when `refused` / `revoked`, else null. */
  refusedReason: string | null;
}
