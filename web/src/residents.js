// What the residents pages share: the village a staff member works on (their own, or one picked
// among their township's villages), and which of the residents permissions their roles carry
// (the policy table, src/access/policy_table.cc; the server decides, this only hides buttons).
import { get } from './api.js';
import { roles } from './session.js';
import { homeVillage } from './disclosure.js';

export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild'];

export function canReveal(me) {
  return roles(me).some((r) => ['grid_worker', 'village_cadre', 'township_official'].includes(r));
}
export function canImport(me) {
  return roles(me).some((r) => ['village_cadre', 'township_official'].includes(r));
}

// The villages to choose from: a township official's villages (the divisions API), else none
// (a village's staff have theirs; a county admin types a code).
export async function villagesToPick(me) {
  const township = (me?.roles || []).map((r) => r.scope).find((s) => /^\d{9}000$/.test(s || '') && !/000000$/.test(s));
  if (!township) return [];
  const r = await get(`/api/v1/divisions/${township}/children`);
  return r.items.filter((d) => d.level === 'village').map((d) => ({ code: d.code, name: d.name }));
}

export { homeVillage };
