/** Europe/Bucharest calendar helpers (ANAF counts daily limits and stamps messages in Romanian time). */

const fmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Bucharest',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function localParts(epochMs: number): number[] {
  const p: Record<string, number> = {};
  for (const x of fmt.formatToParts(new Date(epochMs))) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return [p['year']!, p['month']!, p['day']!, p['hour']!, p['minute']!, p['second']!];
}

/** `YYYY-MM-DD` of the Europe/Bucharest calendar day containing `at` (quota day key). */
export function bucharestDay(at: Date | number): string {
  const [y, m, d] = localParts(typeof at === 'number' ? at : at.getTime());
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Converts ANAF's `yyyyMMddHHmm` (Europe/Bucharest local time, e.g. `data_creare`, `dateResponse`) to
 * a Date. Returns undefined when the text is not 12 digits.
 */
export function parseAnafTimestamp(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return undefined;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  const offsetAt = (t: number) => {
    const [y, mo, d, h, mi, se] = localParts(t);
    return Date.UTC(y!, mo! - 1, d!, h!, mi!, se!) - Math.floor(t / 1000) * 1000;
  };
  let t = asUtc - offsetAt(asUtc);
  t = asUtc - offsetAt(t);
  return new Date(t);
}
