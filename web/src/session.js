// Who is signed in (GET /api/v1/me), shared by every page.
import { reactive } from 'vue';
import { api, get, setCsrf, ApiError } from './api.js';
import { acting, stopActing } from './acting.js';

const STAFF_ROLES = ['grid_worker', 'village_cadre', 'supervisor', 'township_official', 'county_admin', 'auditor', 'operator'];

export const session = reactive({ me: null, loaded: false });

export async function loadMe() {
  try {
    session.me = await get('/api/v1/me');
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 403)) throw e;
    // A consent revoked since the last page: api.js stopped acting; the helper is still signed in.
    session.me = e.status === 403 && !acting.accountId ? await get('/api/v1/me').catch(() => null) : null;
  }
  if (acting.accountId && !session.me?.acting_for) stopActing();
  if (acting.accountId && !acting.name) await loadActingName();
  session.loaded = true;
  return session.me;
}

export async function signIn(phone, password, totp) {
  const body = { phone, password };
  if (totp) body.totp = totp;
  stopActing();
  const result = await api('POST', '/api/v1/auth/sign-in', body);
  setCsrf(result.csrf_token);
  return loadMe();
}

export async function signOut() {
  try {
    await api('POST', '/api/v1/auth/sign-out');
  } finally {
    setCsrf(null);
    stopActing();
    session.me = null;
  }
}

export function roles(me = session.me) {
  return (me?.roles || me?.account?.roles || []).map((r) => r.role || r);
}

export function isStaff(me = session.me) {
  return roles(me).some((r) => STAFF_ROLES.includes(r));
}

export function isHelper(me = session.me) {
  return roles(me).includes('helper');
}

// The account whose appeals and data the pages show: the villager a helper acts for, else oneself.
export function subjectAccountId(me = session.me) {
  return acting.accountId || me?.account?.id || null;
}

// The villager's name, read in clear with the helper's consent (me.data; the villager sees the read
// under "who read my data"), because the helper must see whom they act for on every page.
export async function loadActingName() {
  try {
    const data = await get('/api/v1/me/data');
    acting.name = data.resident?.name || `#${acting.accountId}`;
  } catch {
    acting.name = `#${acting.accountId}`;
  }
  return acting.name;
}
