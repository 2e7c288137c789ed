import { describe, expect, it } from 'vitest';
import { createAdminI18n, MESSAGES } from './i18n.js';
import { KNOWN_CODES } from './api/problem.js';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('admin texts', () => {
  it('have the same keys in Romanian and English', () => {
    expect(keys(MESSAGES.en).sort()).toEqual(keys(MESSAGES.ro).sort());
  });

  it('have a message for every known problem code', () => {
    for (const code of KNOWN_CODES) expect(keys(MESSAGES.ro)).toContain(`errors.${code}`);
  });

  it('start in Romanian, switch to English, and do not touch the global i18next instance', async () => {
    const i18n = createAdminI18n();
    expect(i18n.t('title')).toBe('Administrare');
    expect(i18n.t('users.title')).toBe('Utilizatori');
    expect(i18n.t('invite.title')).toBe('Invită utilizator');
    expect(i18n.t('create.title')).toBe('Companie nouă');
    await i18n.changeLanguage('en');
    expect(i18n.t('users.enableUser', { username: 'ana' })).toBe('Enable user ana');
    const global = (await import('i18next')).default;
    expect(global.hasResourceBundle?.('ro', 'admin') ?? false).toBe(false);
  });
});
