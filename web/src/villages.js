// The village a page of one village (votes, 四议两公开 matters, proposals, accounts) shows: a
// villager's or village cadre's own; for staff above a village (a township official, a county
// admin), the one they picked among the villages of their scope (the divisions API lists them).
// The pick is remembered for the browser session (sessionStorage), so moving between these pages
// keeps it; the server still decides whether the caller may see that village.
import { reactive } from 'vue';
import { get } from './api.js';
import { homeVillage } from './disclosure.js';

const VILLAGE_KEY = 'gz.pick.village';
const TOWNSHIP_KEY = 'gz.pick.township';
const isVillage = (c) => /^\d{12}$/.test(c || '') && !c.endsWith('000');
const isTownship = (c) => /^\d{9}000$/.test(c || '') && !c.endsWith('000000');
const isCounty = (c) => /^\d{6}000000$/.test(c || '');

export const picked = reactive({
  village: sessionStorage.getItem(VILLAGE_KEY) || '',
  township: sessionStorage.getItem(TOWNSHIP_KEY) || '',
});

export function pickVillage(code) {
  picked.village = isVillage(code) ? code : '';
  if (picked.village) sessionStorage.setItem(VILLAGE_KEY, picked.village);
  else sessionStorage.removeItem(VILLAGE_KEY);
}
export function pickTownship(code) {
  picked.township = isTownship(code) ? code : '';
  if (picked.township) sessionStorage.setItem(TOWNSHIP_KEY, picked.township);
  else sessionStorage.removeItem(TOWNSHIP_KEY);
}
// Signing out forgets the pick with the session.
export function forgetPick() {
  pickVillage('');
  pickTownship('');
}

// What the person picks from: nothing (their own village), a township's villages, or a county's
// townships and then villages. The widest scope of the roles wins.
export function pickLevel(me) {
  if (homeVillage(me)) return null;
  const scopes = (me?.roles || []).map((r) => r.scope || '');
  if (scopes.some(isCounty)) return { level: 'county', code: scopes.find(isCounty) };
  if (scopes.some(isTownship)) return { level: 'township', code: scopes.find(isTownship) };
  return null;
}

// The village the page shows: one's own, else the pick (empty until one is picked).
export function currentVillage(me) {
  return homeVillage(me) || (pickLevel(me) ? picked.village : '');
}

const lists = new Map();
// The villages (or townships) directly below a division, in the API's order; kept for the session.
export function childrenOf(code, level) {
  const key = `${code}/${level}`;
  if (!lists.has(key)) {
    lists.set(key, get(`/api/v1/divisions/${code}/children?limit=200`).then((r) => r.items
      .filter((d) => d.level === level).map((d) => ({ code: d.code, name: d.name }))).catch((e) => {
      lists.delete(key);
      throw e;
    }));
  }
  return lists.get(key);
}

export { isVillage };
