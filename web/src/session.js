// Who is signed in (GET /api/v1/me), shared by every page.
import { reactive } from 'vue';
import { api, get, setCsrf, ApiError } from './api.js';

const STAFF_ROLES = ['grid_worker', 'village_cadre', 'supervisor', 'township_official', 'county_admin', 'auditor', 'operator'];

export const session = reactive({ me: null, loaded: false });

export async function loadMe() {
  try {
    session.me = await get('/api/v1/me');
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 403)) throw e;
    session.me = null;
  }
  session.loaded = true;
  return session.me;
}

export async function signIn(phone, password, totp) {
  const body = { phone, password };
  if (totp) body.totp = totp;
  const result = await api('POST', '/api/v1/auth/sign-in', body);
  setCsrf(result.csrf_token);
  return loadMe();
}

export async function signOut() {
  try {
    await api('POST', '/api/v1/auth/sign-out');
  } finally {
    setCsrf(null);
    session.me = null;
  }
}

export function roles(me = session.me) {
  return (me?.roles || me?.account?.roles || []).map((r) => r.role || r);
}

export function isStaff(me = session.me) {
  return roles(me).some((r) => STAFF_ROLES.includes(r));
}
