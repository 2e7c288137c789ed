/**
 * Romanian formats (issue 6 "UI habits"): money `1.234,56 lei`, dates `14.10.2026`. Built on `Intl` (ICU),
 * not hand-rolled. English uses the same numbers with the `en-GB` conventions.
 */
const moneyRo = new Intl.NumberFormat('ro-RO', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const moneyEn = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dateRo = new Intl.DateTimeFormat('ro-RO', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Bucharest' });
const dateEn = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Bucharest' });

/**
 * `1234.5` or `'1234.50'`, `RON` → `1.234,50 lei` (ro) / `1,234.50 RON` (en). Other currencies keep their code.
 * Amounts arrive as decimal strings from the API (never floats in the back end); display only.
 */
export function formatMoney(amount: string | number, currency = 'RON', locale: 'ro' | 'en' = 'ro'): string {
  const n = typeof amount === 'number' ? amount : Number(amount);
  const text = (locale === 'ro' ? moneyRo : moneyEn).format(n);
  if (currency === 'RON') return locale === 'ro' ? `${text} lei` : `${text} RON`;
  return `${text} ${currency}`;
}

/** `2026-10-14` or a Date → `14.10.2026` (ro) / `14/10/2026` (en), in Bucharest time. */
export function formatDate(value: string | Date, locale: 'ro' | 'en' = 'ro'): string {
  const d = typeof value === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value) : value;
  return (locale === 'ro' ? dateRo : dateEn).format(d);
}
