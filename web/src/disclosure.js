// Shared by the disclosure pages (村务公开): money in yuan from fen, kinds, periods, calendar states.
import { i18n } from './i18n.js';

// Money is integer fen on the wire (docs/api/README.md); shown as yuan with two decimals by
// integer division (never fen / 100 as a float), so no rounding creeps into a village's accounts.
export function yuan(fen) {
  if (fen == null || fen === '') return '';
  const n = Number(fen);
  if (!Number.isSafeInteger(n)) return String(fen);
  const abs = Math.abs(n);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = String(abs % 100).padStart(2, '0');
  return `${n < 0 ? '-' : ''}${whole}.${cents}`;
}

// "1,234.5" or "12" (yuan, at most two decimals) → fen as a number; null when it is not an amount.
export function fenOf(text) {
  const m = String(text ?? '').replace(/[,，\s]/g, '').match(/^(\d{1,12})(?:\.(\d{1,2}))?$/);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

export const KINDS = ['finance_statement', 'income_expense', 'resolution', 'subsidy_list', 'asset_contract', 'project_progress', 'other'];
export const FINANCE_KINDS = ['finance_statement', 'income_expense', 'subsidy_list'];
export const STATUSES = ['upcoming', 'due', 'published', 'late', 'missing'];

export function kindName(code) {
  const { t, te } = i18n.global;
  return te(`kind.${code}`) ? t(`kind.${code}`) : code;
}

// 2026-03 → 2026年3月 / Mar 2026; 2026-Q1 and 2026 as they are.
export function periodLabel(period) {
  const m = String(period || '').match(/^(\d{4})-(\d{2})$/);
  if (!m) return period || '';
  return i18n.global.t('disclosure.month', { year: m[1], month: Number(m[2]), mm: m[2] });
}

export function day(ms) {
  if (ms == null) return '';
  const lang = i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN';
  return new Date(ms).toLocaleDateString(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'Asia/Shanghai' });
}

// The village a person sees by default: a villager's or cadre's own village (12 digits).
export function homeVillage(me) {
  const home = me?.account?.home_division || '';
  if (/^\d{12}$/.test(home) && !home.endsWith('000')) return home;
  const scoped = (me?.roles || []).map((r) => r.scope).find((s) => /^\d{12}$/.test(s || '') && !s.endsWith('000'));
  return scoped || '';
}
