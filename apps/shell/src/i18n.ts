import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * i18next for the shell (issue 6: Romanian by default, English). `i18next` and `react-i18next` are federation
 * singletons: remotes add their own namespaces to this same instance (`i18next.addResourceBundle`) and follow
 * its language. The shell's strings are in namespace `shell`.
 */

export type Locale = 'ro' | 'en';
export const LOCALES: readonly { value: Locale; label: string }[] = [
  { value: 'ro', label: 'Română' },
  { value: 'en', label: 'English' },
];
const STORAGE_KEY = 'cetate.lang';

const ro = {
  skipToContent: 'Sari la conținut',
  navigation: 'Module',
  toggleNavigation: 'Deschide sau închide navigarea',
  language: 'Limba',
  logout: 'Deconectare',
  userMenu: 'Meniul utilizatorului {{username}}',
  loadingApp: 'Se pregătește aplicația…',
  loadingModule: 'Se încarcă modulul…',
  moduleUnavailable: 'Modulul nu este disponibil',
  moduleUnavailableHint: 'Modulul „{{title}}” nu a putut fi încărcat. Restul aplicației funcționează în continuare.',
  retry: 'Reîncearcă',
  details: 'Detalii: {{message}}',
  tenantNotFound: 'Compania „{{slug}}” nu există sau nu este activă.',
  platformUnavailable: 'Platforma nu răspunde. Încercați din nou peste puțin timp.',
  manifestInvalid: 'Configurația aplicației primită de la platformă nu este validă.',
  loginFailed: 'Autentificarea nu a reușit: serverul de identitate nu răspunde.',
  chooseOtherTenant: 'Alegeți altă companie',
  pickerTitle: 'Alegeți compania',
  pickerLabel: 'Identificatorul companiei',
  pickerDescription: 'De exemplu „demo”: litere mici, cifre și cratime.',
  pickerInvalid: 'Identificatorul începe cu o literă mică și are între 2 și 31 de caractere (a-z, 0-9, -).',
  pickerSubmit: 'Continuă',
  noModules: 'Contul dumneavoastră nu are acces la niciun modul al acestei companii.',
  notFound: 'Pagina nu există.',
  backHome: 'Înapoi la pagina principală',
};
type Messages = typeof ro;
const en: Messages = {
  skipToContent: 'Skip to content',
  navigation: 'Modules',
  toggleNavigation: 'Open or close the navigation',
  language: 'Language',
  logout: 'Log out',
  userMenu: 'User menu of {{username}}',
  loadingApp: 'Getting the application ready…',
  loadingModule: 'Loading the module…',
  moduleUnavailable: 'The module is not available',
  moduleUnavailableHint: 'The module “{{title}}” could not be loaded. The rest of the application still works.',
  retry: 'Retry',
  details: 'Details: {{message}}',
  tenantNotFound: 'The company “{{slug}}” does not exist or is not active.',
  platformUnavailable: 'The platform does not answer. Please try again shortly.',
  manifestInvalid: 'The application configuration sent by the platform is not valid.',
  loginFailed: 'Login failed: the identity server does not answer.',
  chooseOtherTenant: 'Choose another company',
  pickerTitle: 'Choose the company',
  pickerLabel: 'Company identifier',
  pickerDescription: 'For example “demo”: lower-case letters, digits and hyphens.',
  pickerInvalid: 'The identifier starts with a lower-case letter and has 2 to 31 characters (a-z, 0-9, -).',
  pickerSubmit: 'Continue',
  noModules: 'Your account has access to no module of this company.',
  notFound: 'This page does not exist.',
  backHome: 'Back to the home page',
};

/** The stored UI language (`localStorage['cetate.lang']`), Romanian when none or unknown. */
export function storedLocale(): Locale {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ro';
  } catch {
    return 'ro';
  }
}

/** Initialises the shared i18next instance in the stored language; keeps `<html lang>` and the storage in step. */
export async function initI18n(): Promise<i18n> {
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
    try {
      window.localStorage.setItem(STORAGE_KEY, lng);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  });
  await i18next.use(initReactI18next).init({
    lng: storedLocale(),
    fallbackLng: 'ro',
    supportedLngs: ['ro', 'en'],
    ns: ['shell'],
    defaultNS: 'shell',
    resources: { ro: { shell: ro }, en: { shell: en } },
    interpolation: { escapeValue: false }, // React escapes
  });
  document.documentElement.lang = i18next.language;
  return i18next;
}
