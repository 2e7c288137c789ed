/**
 * Display helpers that never throw while rendering: an imported UBL is stored byte for byte, so its issue date
 * may be what the sender wrote (e.g. `2022-05-31+02:00`, which CIUS-RO BR-RO-DT001 forbids but ANAF's
 * examples contain) and its amounts may be missing.
 */
import { formatDate, formatMoney } from '@cetate/shared-ui';

/** `14.10.2026` for a `YYYY-MM-DD` date (a zone suffix is dropped), the text as given when unreadable, `—` for none. */
export function displayDate(value: string | null, locale: 'ro' | 'en'): string {
  if (!value) return '—';
  const day = /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
  if (!day) return value;
  try {
    return formatDate(day, locale);
  } catch {
    return value;
  }
}

/** `1.234,56 lei` for a decimal string, `—` for none, the text as given when it is not a number. */
export function displayMoney(value: string | null, currency: string, locale: 'ro' | 'en'): string {
  if (value === null || value === '') return '—';
  if (!/^-?\d+(\.\d+)?$/.test(value)) return value;
  return formatMoney(value, currency || 'RON', locale);
}
