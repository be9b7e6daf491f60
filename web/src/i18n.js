// Every text of the app, in zh-CN (default) and en. The choice is remembered and sets <html lang>.
// The texts are written in locales/<lang>.js and split by the build (scripts/i18n-split.mjs): the
// Chinese texts of the villager pages come with the first load; English is fetched when chosen, and
// the texts of staff pages when a staff page is first opened (router.js), so a villager's phone
// never downloads them.
import { createI18n } from 'vue-i18n';
import zh from 'virtual:gz-messages/core/zh-CN';

const KEY = 'gz.lang';
const saved = localStorage.getItem(KEY);
const initial = saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';

const LOADERS = {
  core: { en: () => import('virtual:gz-messages/core/en') },
  staff: { 'zh-CN': () => import('virtual:gz-messages/staff/zh-CN'), en: () => import('virtual:gz-messages/staff/en') },
};
const loaded = new Map([['core/zh-CN', Promise.resolve()]]);
let staffWanted = false;

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh },
});

function ensure(part, lang) {
  const key = `${part}/${lang}`;
  if (!loaded.has(key)) {
    loaded.set(key, LOADERS[part][lang]().then((m) => i18n.global.mergeLocaleMessage(lang, m.default)).catch((e) => {
      loaded.delete(key);
      throw e;
    }));
  }
  return loaded.get(key);
}

// The texts of a language (and the staff texts once a staff page was opened) before it is shown.
function ensureLanguage(lang) {
  const parts = [ensure('core', lang)];
  if (staffWanted) parts.push(ensure('staff', lang));
  if (lang !== 'zh-CN') parts.push(ensure('core', 'zh-CN'), ...(staffWanted ? [ensure('staff', 'zh-CN')] : [])); // the fallback
  return Promise.all(parts);
}

export function loadStaffTexts() {
  staffWanted = true;
  return ensureLanguage(i18n.global.locale.value);
}

export async function setLanguage(lang) {
  await ensureLanguage(lang);
  i18n.global.locale.value = lang;
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
}

// Before the first page shows: the remembered language's texts (nothing to fetch for Chinese).
export const languageReady = (initial === 'zh-CN' ? Promise.resolve() : setLanguage(initial)).catch(() => null);
document.documentElement.lang = i18n.global.locale.value;
