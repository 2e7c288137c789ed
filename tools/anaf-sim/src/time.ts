/**
 * Time helpers for the ANAF simulator. ANAF counts daily limits per calendar day in Romania and
 * formats its timestamps (`dateResponse`, `data_creare`) as `yyyyMMddHHmm` in Romanian local time.
 */

const partsFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Bucharest',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function parts(epochMs: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of partsFormatter.formatToParts(new Date(epochMs))) out[p.type] = p.value;
  return out;
}

/**
 * Calendar day in Europe/Bucharest as `YYYY-MM-DD` for an epoch-ms instant. Daily quota counters are
 * keyed by it (ANAF-EFACTURA.md "Limits (per day)"). Same result as `bucharestDay` of
 * @cetate/anaf-client, which the simulator cannot import: the client's integration spec imports the
 * simulator, and Nx refuses the project cycle.
 */
export function bucharestDay(epochMs: number): string {
  const p = parts(epochMs);
  return `${p['year']}-${p['month']}-${p['day']}`;
}

/**
 * `yyyyMMddHHmm` in Europe/Bucharest local time, the format of ANAF's `dateResponse` (upload answer)
 * and `data_creare` (message lists).
 */
export function anafTimestamp(epochMs: number): string {
  const p = parts(epochMs);
  return `${p['year']}${p['month']}${p['day']}${p['hour']}${p['minute']}`;
}
