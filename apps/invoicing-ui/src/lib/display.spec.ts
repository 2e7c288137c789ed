import { describe, expect, it } from 'vitest';
import { displayDate, displayMoney } from './display.js';

describe('display helpers', () => {
  it('formats dates the Romanian way and survives zone suffixes and garbage', () => {
    expect(displayDate('2026-10-14', 'ro')).toBe('14.10.2026');
    expect(displayDate('2022-05-31+02:00', 'ro')).toBe('31.05.2022');
    expect(displayDate('31/05/2022', 'ro')).toBe('31/05/2022');
    expect(displayDate(null, 'ro')).toBe('—');
  });
  it('formats money and leaves non-numbers as they are', () => {
    expect(displayMoney('1234.5', 'RON', 'ro')).toBe('1.234,50 lei');
    expect(displayMoney('1246.00', 'EUR', 'ro')).toBe('1.246,00 EUR');
    expect(displayMoney(null, 'RON', 'ro')).toBe('—');
  });
});
