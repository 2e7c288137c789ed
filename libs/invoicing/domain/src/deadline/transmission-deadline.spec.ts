import { describe, expect, it } from 'vitest';
import {
  addRomanianWorkingDays,
  EFACTURA_NOT_TRANSMITTED_STATES,
  efacturaDeadlineOf,
  efacturaTransmissionDeadline,
  InvalidCalendarDateError,
  isCalendarDate,
  isRomanianWorkingDay,
  romanianDate,
  romanianPublicHolidays,
} from './index.js';

describe('Romanian public holidays (date-holidays, type public)', () => {
  it('lists the Labour Code holidays of 2026, Orthodox Easter and Pentecost included', () => {
    expect([...romanianPublicHolidays(2026)].sort()).toEqual([
      '2026-01-01', '2026-01-02', '2026-01-06', '2026-01-07', '2026-01-24',
      '2026-04-10', '2026-04-12', '2026-04-13', // Good Friday, Easter Sunday and Monday (Orthodox)
      '2026-05-01', '2026-05-31', '2026-06-01', // Pentecost Sunday; 1 June is Children's Day and Pentecost Monday
      '2026-08-15', '2026-11-30', '2026-12-01', '2026-12-25', '2026-12-26',
    ]);
  });

  it('moves Easter with the Orthodox calendar (2027: 30 April, 2 and 3 May)', () => {
    const h = romanianPublicHolidays(2027);
    for (const d of ['2027-04-30', '2027-05-02', '2027-05-03']) expect(h.has(d), d).toBe(true);
    expect(h.has('2027-03-29'), 'Western Easter Monday').toBe(false);
  });

  it('a working day is Monday to Friday and not a holiday', () => {
    expect(isRomanianWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(isRomanianWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(isRomanianWorkingDay('2026-11-29')).toBe(false); // Sunday
    expect(isRomanianWorkingDay('2026-11-30')).toBe(false); // Monday, St Andrew
    expect(isRomanianWorkingDay('2026-12-01')).toBe(false); // Tuesday, National Day
    expect(isRomanianWorkingDay('2026-12-02')).toBe(true);
  });
});

describe('efacturaTransmissionDeadline: the 5th working day after the issue date (OUG 120/2021 art. 10)', () => {
  it('an ordinary week: issued Wednesday 2026-10-14 → Wednesday 2026-10-21', () => {
    expect(efacturaTransmissionDeadline('2026-10-14')).toBe('2026-10-21');
  });

  it('issued on a Saturday: counting starts on Monday', () => {
    expect(efacturaTransmissionDeadline('2026-10-17')).toBe('2026-10-23');
  });

  it('across St Andrew and the National Day: issued Friday 2026-11-27 → Tuesday 2026-12-08', () => {
    // 28-29 weekend, 30 Nov and 1 Dec holidays, then 2, 3, 4, 7, 8 December
    expect(efacturaTransmissionDeadline('2026-11-27')).toBe('2026-12-08');
  });

  it('across Orthodox Easter: issued Wednesday 2026-04-08 → Friday 2026-04-17', () => {
    // 9 April (1), Good Friday 10, weekend with Easter Sunday 12, Easter Monday 13, then 14, 15, 16, 17
    expect(efacturaTransmissionDeadline('2026-04-08')).toBe('2026-04-17');
  });

  it('across Christmas: issued Tuesday 2026-12-22 → Wednesday 2026-12-30', () => {
    // 23 (1), 24 (2), 25-26 Christmas (26 is a Saturday), 27 Sunday, then 28, 29, 30
    expect(efacturaTransmissionDeadline('2026-12-22')).toBe('2026-12-30');
  });

  it('across New Year, Epiphany and St John: issued Tuesday 2026-12-29 → Friday 2027-01-08', () => {
    // 30 (1), 31 (2), 1 January Friday holiday (2 January 2027 is a Saturday), 4 (3), 5 (4), 6-7 holidays, 8 (5)
    expect(efacturaTransmissionDeadline('2026-12-29')).toBe('2027-01-08');
  });

  it('the deadline is always a working day', () => {
    for (let d = Date.UTC(2026, 0, 1); d < Date.UTC(2027, 0, 1); d += 86_400_000) {
      const issued = new Date(d).toISOString().slice(0, 10);
      expect(isRomanianWorkingDay(efacturaTransmissionDeadline(issued)), issued).toBe(true);
    }
  });

  it('refuses what is not a calendar date', () => {
    for (const bad of ['2026-02-30', '14.10.2026', '2026-1-5', '', '2026-10-14T00:00:00Z']) {
      expect(() => efacturaTransmissionDeadline(bad), bad).toThrow(InvalidCalendarDateError);
    }
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
  });
});

describe('efacturaDeadlineOf (BT-2 as documents carry it)', () => {
  it('reads the calendar date of an issue date with a zone suffix, null when there is none', () => {
    expect(efacturaDeadlineOf('2026-11-27+02:00')).toBe('2026-12-08');
    expect(efacturaDeadlineOf('2026-11-27')).toBe('2026-12-08');
    expect(efacturaDeadlineOf('27.11.2026')).toBeNull();
    expect(efacturaDeadlineOf(null)).toBeNull();
  });
});

describe('addRomanianWorkingDays', () => {
  it('counts backwards across holidays and returns the date itself for 0', () => {
    expect(addRomanianWorkingDays('2026-12-08', -5)).toBe('2026-11-27');
    expect(addRomanianWorkingDays('2026-12-02', -1)).toBe('2026-11-27');
    expect(addRomanianWorkingDays('2026-11-28', 0)).toBe('2026-11-28');
    expect(addRomanianWorkingDays('2026-11-28', 1)).toBe('2026-12-02');
  });

  it('refuses a fractional count', () => {
    expect(() => addRomanianWorkingDays('2026-12-08', 1.5)).toThrow(RangeError);
  });
});

describe('romanianDate', () => {
  it('is the calendar date in Europe/Bucharest (UTC+2 in winter, UTC+3 in summer)', () => {
    expect(romanianDate(new Date('2026-11-27T21:59:59Z'))).toBe('2026-11-27');
    expect(romanianDate(new Date('2026-11-27T22:00:00Z'))).toBe('2026-11-28');
    expect(romanianDate(new Date('2026-07-01T20:59:59Z'))).toBe('2026-07-01');
    expect(romanianDate(new Date('2026-07-01T21:00:00Z'))).toBe('2026-07-02');
  });
});

describe('EFACTURA_NOT_TRANSMITTED_STATES', () => {
  it('is every state but submitted and accepted', () => {
    expect([...EFACTURA_NOT_TRANSMITTED_STATES]).toEqual(['draft', 'queued', 'validating', 'invalid', 'uploading', 'rejected', 'unknown', 'failed']);
  });
});
