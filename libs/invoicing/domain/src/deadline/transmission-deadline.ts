/**
 * The legal deadline for transmitting an invoice to RO e-Factura, counted in Romanian working days.
 *
 * Rule: an invoice (B2B, and B2C from 2026-01-01) is transmitted to RO e-Factura "within 5 working days of its issue
 * date" (OUG 120/2021 art. 10 (1) as amended; ANAF-EFACTURA.md, "What changed in 2025-2026"). The deadline is the
 * FIFTH working day AFTER the issue date (BT-2): the issue day itself is not counted, Saturdays, Sundays and Romanian
 * public holidays are not working days. The law's second bound ("not later than 5 working days after the date by which
 * the invoice had to be issued") needs the chargeable event, which the invoice does not carry; it is not applied.
 *
 * Public holidays: the legal non-working days of the Labour Code (Codul muncii, Legea 53/2003, art. 139: 1-2 January,
 * 6-7 January, 24 January, Orthodox Good Friday, Easter Sunday and Monday, 1 May, 1 June, Orthodox Pentecost Sunday
 * and Monday, 15 August, 30 November, 1 December, 25-26 December), taken from the `date-holidays` package
 * (`new Holidays('RO')`, entries of type `public`; its data file `data/countries/RO.yaml` gives the Labour Code as its
 * source), so the moving feasts (Orthodox Easter and Pentecost) and later changes of the list come with package
 * updates, not with code here (ADR 0023). The package lists 6-7 January for every year, although they are holidays
 * only since 2024: deadlines of invoices issued before 2024 are not what this module is for. Days the government
 * declares non-working for the public sector ("zile libere punte") are NOT public holidays and count as working days.
 *
 * Dates are calendar dates `YYYY-MM-DD` without a time zone (like BT-2); every function is pure (no clock).
 */
import { CetateError } from '@cetate/shared-errors';
import Holidays from 'date-holidays';
import { EFACTURA_STATES, type EfacturaState } from '../state/efactura-state.js';

/**
 * The e-Factura states of an invoice NOT yet transmitted, i.e. still at risk of missing its deadline: every state but
 * `submitted` (ANAF holds the upload and has given it an `index_incarcare`) and `accepted`. So `draft`, `queued`,
 * `validating`, `uploading` (not at ANAF yet), `invalid` (never sent), `unknown` (may not have reached ANAF), `rejected`
 * (ANAF refused it: a rejected invoice counts as not transmitted, the corrected version must still make the deadline)
 * and `failed`.
 */
export const EFACTURA_NOT_TRANSMITTED_STATES: readonly EfacturaState[] = Object.freeze(
  EFACTURA_STATES.filter((s) => s !== 'submitted' && s !== 'accepted'),
);

/** Working days between the issue date and the transmission deadline (OUG 120/2021 art. 10 (1)). */
export const EFACTURA_TRANSMISSION_WORKING_DAYS = 5;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A value that is not a calendar date `YYYY-MM-DD` (e.g. `2026-02-30`, `14.10.2026`). */
export class InvalidCalendarDateError extends CetateError {
  /** Always `INVALID_CALENDAR_DATE`. */
  declare readonly code: 'INVALID_CALENDAR_DATE';
  constructor(readonly value: string) {
    super('INVALID_CALENDAR_DATE', `"${value}" is not a calendar date YYYY-MM-DD`);
  }
}

/** Whether `value` is a real calendar date written `YYYY-MM-DD` (no time, no zone). */
export function isCalendarDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** `YYYY-MM-DD` → UTC midnight in ms. @throws InvalidCalendarDateError */
function toDayMs(date: string): number {
  if (!isCalendarDate(date)) throw new InvalidCalendarDateError(date);
  return Date.parse(`${date}T00:00:00Z`);
}

const fromDayMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

let calendar: Holidays | undefined;
const holidaysByYear = new Map<number, ReadonlySet<string>>();

/**
 * The Romanian public holidays (legal non-working days) of `year`, as `YYYY-MM-DD` strings, from `date-holidays`
 * (entries of type `public`). Cached per year.
 */
export function romanianPublicHolidays(year: number): ReadonlySet<string> {
  let set = holidaysByYear.get(year);
  if (!set) {
    calendar ??= new Holidays('RO');
    const days = new Set<string>();
    for (const h of calendar.getHolidays(year) || []) {
      if (h.type !== 'public') continue;
      // an entry may span several days (New Year: `01-01 P2DT` = 1 and 2 January): every day of [start, end)
      const span = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
      const first = toDayMs(h.date.slice(0, 10));
      for (let i = 0; i < span; i++) days.add(fromDayMs(first + i * DAY_MS));
    }
    set = Object.freeze(days) as ReadonlySet<string>;
    holidaysByYear.set(year, set);
  }
  return set;
}

/**
 * Whether `date` is a Romanian working day: Monday to Friday and not a public holiday ({@link romanianPublicHolidays}).
 * @throws InvalidCalendarDateError when `date` is not `YYYY-MM-DD`
 */
export function isRomanianWorkingDay(date: string): boolean {
  const dow = new Date(toDayMs(date)).getUTCDay();
  if (dow === 0 || dow === 6) return false;
  return !romanianPublicHolidays(Number(date.slice(0, 4))).has(date);
}

/**
 * The `n`-th Romanian working day after `date` (`n` > 0), before it (`n` < 0), or `date` itself (`n` = 0, whatever
 * day it is). `date` itself is never counted: the 1st working day after a Friday is the next working Monday.
 * @throws InvalidCalendarDateError when `date` is not `YYYY-MM-DD`; RangeError when `n` is not an integer
 */
export function addRomanianWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer, got ${n}`);
  let ms = toDayMs(date);
  const step = n < 0 ? -DAY_MS : DAY_MS;
  for (let left = Math.abs(n); left > 0; ) {
    ms += step;
    if (isRomanianWorkingDay(fromDayMs(ms))) left -= 1;
  }
  return fromDayMs(ms);
}

/**
 * The RO e-Factura transmission deadline of an invoice issued on `issueDate` (BT-2): the 5th Romanian working day
 * after it (see the module comment for the rule and its source). E.g. issued Friday 2026-11-27 → 2026-12-08
 * (30 November and 1 December are public holidays).
 * @param issueDate `YYYY-MM-DD`
 * @returns `YYYY-MM-DD`, always a working day
 * @throws InvalidCalendarDateError when `issueDate` is not `YYYY-MM-DD`
 */
export function efacturaTransmissionDeadline(issueDate: string): string {
  return addRomanianWorkingDays(issueDate, EFACTURA_TRANSMISSION_WORKING_DAYS);
}

/**
 * The deadline of an issue date as a document carries it: BT-2 `YYYY-MM-DD`, optionally followed by a zone suffix
 * (an imported UBL may write `2022-05-31+02:00`; the calendar date is its first 10 characters). `null` when the value
 * holds no calendar date (validation reports BT-2 then; such an invoice has no deadline to show).
 */
export function efacturaDeadlineOf(issueDate: string | null | undefined): string | null {
  const day = issueDate?.trim().slice(0, 10) ?? '';
  return isCalendarDate(day) ? efacturaTransmissionDeadline(day) : null;
}

/** The calendar date `YYYY-MM-DD` in Romania (Europe/Bucharest) at instant `at`. */
export function romanianDate(at: Date): string {
  // en-CA formats as YYYY-MM-DD
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
