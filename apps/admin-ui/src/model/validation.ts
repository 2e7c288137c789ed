/**
 * Client-side validation of the admin forms, with the same rules as the platform-api request schemas, so a
 * form is refused before anything is sent (issue 6 "forms validated with the same zod schemas as the API
 * contracts"). The server schemas live in packages that import NestJS and `node:crypto`
 * (`@cetate/platform-identity` `InviteUserBodySchema`, `apps/platform-api` `CreateTenantBodySchema`,
 * `@cetate/platform-tenancy` `isValidCif`) and cannot be bundled for the browser, so the rules are restated
 * here and `validation.spec.ts` checks them against the server's own schemas and functions on shared samples.
 */
import { z } from 'zod';

/** Realm roles of a tenant realm (`TENANT_REALM_ROLES` of `@cetate/platform-identity`), in display order. */
export const TENANT_REALM_ROLES = ['tenant-admin', 'accountant', 'user', 'privacy-officer'] as const;
export type TenantRealmRole = (typeof TENANT_REALM_ROLES)[number];

/** Tenant slug rule (ARCHITECTURE §2, `TENANT_SLUG_PATTERN` of `@cetate/platform-tenancy`). */
export const TENANT_SLUG_PATTERN = /^[a-z][a-z0-9-]{1,30}$/;

/** Slugs the provisioning saga refuses (`RESERVED_TENANT_SLUGS` of `@cetate/platform-provisioning`). */
export const RESERVED_TENANT_SLUGS: readonly string[] = ['platform', 'master', 'admin', 'www'];

/**
 * Romanian CUI/CIF check (ANAF CUI validation algorithm, same as `isValidCif` of `@cetate/platform-tenancy`):
 * 2-10 digits, an `RO` prefix (any case, surrounding spaces) accepted and ignored; the digits before the last,
 * left-padded to 9, are multiplied by the key `753217532`; (sum × 10) mod 11, with 10 counting as 0, must equal
 * the last digit. Example: `RO14399840` → true, `14399841` → false.
 */
export function isValidCif(cif: string): boolean {
  const digits = cif.trim().toUpperCase().replace(/^RO/, '');
  if (!/^\d{2,10}$/.test(digits)) return false;
  const body = digits.slice(0, -1).padStart(9, '0');
  const key = '753217532';
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * Number(key[i]);
  return ((sum * 10) % 11) % 10 === Number(digits[digits.length - 1]);
}

/**
 * Issue codes of the form schemas, translated by the UI (`validation.<code>` in `i18n.ts`); the zod issue
 * `message` carries the code so the form shows it in the user's language.
 */
export type ValidationCode =
  | 'required'
  | 'slugPattern'
  | 'slugReserved'
  | 'cif'
  | 'email'
  | 'usernamePattern'
  | 'usernameReserved'
  | 'tooLong'
  | 'rolesRequired';

const msg = (code: ValidationCode) => ({ message: code });

/**
 * `POST /v1/users` body as the form sends it (`InviteUserBodySchema`): `username` 3..255 of `A-Z a-z 0-9 . _ @ +
 * -`, lower-cased, not `service-account-…`; `email` an address (zod `z.email()`), ≤ 255; `roles` ≥ 1 tenant role.
 */
export const InviteUserFormSchema = z.object({
  username: z
    .string()
    .trim()
    .min(3, msg('required'))
    .max(255, msg('tooLong'))
    .regex(/^[A-Za-z0-9._@+-]+$/, msg('usernamePattern'))
    .transform((u) => u.toLowerCase())
    .refine((u) => !u.startsWith('service-account-'), msg('usernameReserved')),
  email: z.email(msg('email')).max(255, msg('tooLong')),
  roles: z
    .array(z.enum(TENANT_REALM_ROLES))
    .transform((r) => [...new Set(r)].sort())
    .refine((r) => r.length > 0, msg('rolesRequired')),
});
export type InviteUserForm = z.input<typeof InviteUserFormSchema>;
export type InviteUserBody = z.output<typeof InviteUserFormSchema>;

/**
 * `POST /v1/tenants` body as the form sends it (`CreateTenantBodySchema` plus the saga's own checks, so a bad
 * slug or CIF never reaches the server): `slug` per {@link TENANT_SLUG_PATTERN} and not reserved; `displayName`
 * 1..200; `cif` passing {@link isValidCif} (sent as typed: the server normalises); `admin.email` an address;
 * `admin.username` optional, `^[a-z0-9][a-z0-9._-]{0,62}$` (empty = the server's default).
 */
export const CreateTenantFormSchema = z.object({
  slug: z
    .string()
    .trim()
    .regex(TENANT_SLUG_PATTERN, msg('slugPattern'))
    .refine((s) => !RESERVED_TENANT_SLUGS.includes(s), msg('slugReserved')),
  displayName: z.string().trim().min(1, msg('required')).max(200, msg('tooLong')),
  cif: z.string().trim().min(2, msg('cif')).max(12, msg('cif')).refine(isValidCif, msg('cif')),
  admin: z.object({
    email: z.email(msg('email')),
    username: z
      .string()
      .trim()
      .transform((u) => (u === '' ? undefined : u))
      .pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, msg('usernamePattern')).optional())
      .optional(),
  }),
});
export type CreateTenantForm = z.input<typeof CreateTenantFormSchema>;
export type CreateTenantBody = z.output<typeof CreateTenantFormSchema>;

/** Field path (`admin.email`) → first validation code, for showing one message under each field. */
export function fieldErrors(error: z.ZodError): Record<string, ValidationCode> {
  const out: Record<string, ValidationCode> = {};
  for (const issue of error.issues) {
    const path = issue.path.join('.');
    if (!(path in out)) out[path] = (isValidationCode(issue.message) ? issue.message : 'required') as ValidationCode;
  }
  return out;
}

const CODES: readonly string[] = ['required', 'slugPattern', 'slugReserved', 'cif', 'email', 'usernamePattern', 'usernameReserved', 'tooLong', 'rolesRequired'];
function isValidationCode(s: string): s is ValidationCode {
  return CODES.includes(s);
}
