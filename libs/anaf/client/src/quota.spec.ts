import { describe, expect, it } from 'vitest';
import { AnafAuthError, AnafHttpError, AnafQuotaExceededError } from './errors.js';
import { checkStatus, type RawAnswer } from './http.js';
import { InMemoryQuotaLedger } from './quota.js';
import { bucharestDay, parseAnafTimestamp } from './time.js';

function answer(status: number, text = ''): RawAnswer {
  return { status, contentType: 'text/plain', body: Buffer.from(text), text: () => text };
}

describe('Europe/Bucharest day', () => {
  it('changes at 22:00Z in winter and 21:00Z in summer', () => {
    expect(bucharestDay(Date.parse('2025-01-15T21:59:59Z'))).toBe('2025-01-15');
    expect(bucharestDay(Date.parse('2025-01-15T22:00:00Z'))).toBe('2025-01-16');
    expect(bucharestDay(Date.parse('2025-07-15T20:59:59Z'))).toBe('2025-07-15');
    expect(bucharestDay(Date.parse('2025-07-15T21:00:00Z'))).toBe('2025-07-16');
  });
  it('parses yyyyMMddHHmm as Bucharest local time (DST aware)', () => {
    expect(parseAnafTimestamp('202501151000')!.toISOString()).toBe('2025-01-15T08:00:00.000Z');
    expect(parseAnafTimestamp('202507151000')!.toISOString()).toBe('2025-07-15T07:00:00.000Z');
    expect(parseAnafTimestamp('2025')).toBeUndefined();
  });
});

describe('InMemoryQuotaLedger', () => {
  it('allows the limit per key per day, then refuses; next Bucharest day starts fresh', () => {
    let t = Date.parse('2025-01-15T21:00:00Z');
    const l = new InMemoryQuotaLedger({ stareMesaj: 3 }, () => t);
    expect([l.take('stareMesaj', 'a'), l.take('stareMesaj', 'a'), l.take('stareMesaj', 'a'), l.take('stareMesaj', 'a')]).toEqual([true, true, true, false]);
    expect(l.take('stareMesaj', 'b')).toBe(true);
    expect(l.remaining('stareMesaj', 'a')).toBe(0);
    expect(l.remaining('descarcare', 'a')).toBe(10);
    t = Date.parse('2025-01-15T22:00:00Z'); // midnight in Bucharest
    expect(l.remaining('stareMesaj', 'a')).toBe(3);
    l.exhaust('stareMesaj', 'a');
    expect(l.take('stareMesaj', 'a')).toBe(false);
  });
  it('defaults follow ANAF-EFACTURA.md limits', () => {
    const l = new InMemoryQuotaLedger();
    expect([l.limit('stareMesaj'), l.limit('descarcare'), l.limit('listaMesajeFactura'), l.limit('listaMesajePaginatieFactura'), l.limit('apiCalls')]).toEqual([100, 10, 1500, 100000, 1000]);
  });
});

describe('checkStatus', () => {
  it('maps statuses to typed errors', () => {
    expect(() => checkStatus('stareMesaj', answer(200, 'x'), false)).not.toThrow();
    expect(() => checkStatus('stareMesaj', answer(401), false)).toThrow(AnafAuthError);
    expect(() => checkStatus('stareMesaj', answer(204), false)).toThrow(AnafQuotaExceededError);
    expect(() => checkStatus('stareMesaj', answer(429, 'S-au facut deja 20 descarcari de mesaj in cursul zilei'), false)).toThrow(AnafQuotaExceededError);
    const e429 = (() => { try { checkStatus('stareMesaj', answer(429, 'Too Many Requests'), false); } catch (e) { return e as AnafHttpError; } })()!;
    expect(e429.retryable).toBe(true);
    const e403 = (() => { try { checkStatus('stareMesaj', answer(403, 'Utilizator neautorizat'), false); } catch (e) { return e as AnafHttpError; } })()!;
    expect(e403.retryable).toBe(true);
    const e403b = (() => { try { checkStatus('stareMesaj', answer(403, 'Nu aveti drept'), false); } catch (e) { return e as AnafHttpError; } })()!;
    expect(e403b.retryable).toBe(false);
    const up = (() => { try { checkStatus('upload', answer(502), true); } catch (e) { return e as AnafHttpError; } })()!;
    expect(up.outcomeUnknown).toBe(true);
    expect(up.retryable).toBe(false);
    const rd = (() => { try { checkStatus('descarcare', answer(400, '{}'), false); } catch (e) { return e as AnafHttpError; } })()!;
    expect(rd.retryable).toBe(false);
  });
});
