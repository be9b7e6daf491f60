// Small shared helpers: dates in the page's language, deadline colours, category icons.
import { i18n } from './i18n.js';

export function when(ms) {
  if (ms == null) return '';
  const lang = i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN';
  return new Date(ms).toLocaleString(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

// overdue: past the deadline; soon: within a day; ok otherwise.
export function dueClass(ms, now = Date.now()) {
  if (ms == null) return '';
  if (ms < now) return 'due-overdue';
  if (ms - now < 24 * 3600 * 1000) return 'due-soon';
  return 'due-ok';
}

export function dueOf(appeal) {
  if (['submitted', 'reopened', 'escalated'].includes(appeal.state) && appeal.accept_due_ms) return appeal.accept_due_ms;
  return appeal.answer_due_ms ?? appeal.accept_due_ms ?? null;
}

const ICONS = {
  alert: '⚠️', water: '💧', power: '⚡', flame: '🔥', road: '🛣️', lamp: '💡', broom: '🧹', house: '🏠', sprout: '🌱',
  hands: '🤝', elder: '👵', medical: '🏥', school: '🏫', notice: '📋', field: '🌾', talk: '💬', more: '➕',
};
export const iconOf = (name) => ICONS[name] || '📌';

let categoriesPromise = null;
export function categories(get) {
  categoriesPromise ??= get('/api/v1/appeals/categories').then((r) => r.items).catch((e) => {
    categoriesPromise = null;
    throw e;
  });
  return categoriesPromise;
}

export function categoryName(list, code) {
  const c = (list || []).find((x) => x.code === code);
  if (!c) return code;
  return i18n.global.locale.value === 'en' ? c.name_en : c.name_zh;
}

export const OPEN_STATES = ['submitted', 'accepted', 'in_progress', 'answered', 'reopened', 'contested', 'escalated'];

// Names of division codes (villages, townships, counties) from the public division routes,
// remembered for the session; a unit key "village:CODE" is named after its place.
const names = new Map();
export async function divisionName(get, key) {
  const code = String(key).split(':')[1] || String(key);
  if (!/^\d{6,12}$/.test(code)) return key;
  if (!names.has(code)) names.set(code, get(`/api/v1/divisions/${code}`).then((d) => d.name).catch(() => code));
  return names.get(code);
}

// Saves a downloaded file (an export) under a name, through a temporary blob: link.
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
