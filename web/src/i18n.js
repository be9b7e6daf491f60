// Every text of the app, in zh-CN (default) and en. The choice is remembered and sets <html lang>.
import { createI18n } from 'vue-i18n';
import zh from './locales/zh-CN.js';
import en from './locales/en.js';

const KEY = 'gz.lang';
const saved = localStorage.getItem(KEY);
const initial = saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';

export const i18n = createI18n({
  legacy: false,
  locale: initial,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
});

export function setLanguage(lang) {
  i18n.global.locale.value = lang;
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
}
document.documentElement.lang = initial;
