// Which permissions the signed-in person's roles carry, from the server's own policy table
// (GET /api/v1/access-policy, the one src/access/policy_table.cc serves). Pages and links are shown
// only to roles that may use them; the server still decides every call (and the scope).
import { reactive } from 'vue';
import { get } from './api.js';
import { roles } from './session.js';

export const policy = reactive({ byPermission: null });
let loading = null;

export function loadPolicy() {
  loading ??= get('/api/v1/access-policy').then((p) => {
    const map = {};
    for (const perm of p.permissions) map[perm.name] = perm;
    policy.byPermission = map;
    return map;
  }).catch((e) => {
    loading = null;
    throw e;
  });
  return loading;
}

// True when one of my roles (or, for signed_in permissions, any signed-in person) has `name`.
export function can(name, me) {
  const perm = policy.byPermission?.[name];
  if (!perm) return false;
  if (perm.audience === 'signed_in') return !!me;
  const mine = roles(me);
  return (perm.rules || []).some((r) => mine.includes(r.role));
}

export const ROLES = ['villager', 'helper', 'grid_worker', 'village_cadre', 'supervisor', 'township_official', 'county_admin', 'auditor', 'operator'];
