// The one way the app talks to the server: same-origin fetch with the session cookie, the
// CSRF token on unsafe requests, the caller's language, and RFC 9457 problems turned into
// errors whose message is the server's own text (already in the right language).
import { i18n } from './i18n.js';
import { acting, stopActing } from './acting.js';

const CSRF_KEY = 'gz.csrf';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

// The token belongs to the session, and the session is the browser's cookie, shared by every tab:
// so the token is kept where every tab of the origin reads it (localStorage). Kept per tab, a second
// tab (a typed address, a bookmark) could read but every change failed with 403 access/csrf, and
// signing in again there replaced the shared cookie under the first tab. Other sites cannot read it
// either way (same-origin), and it is useless without the HttpOnly cookie; sign-out removes it.
export function setCsrf(token) {
  sessionStorage.removeItem(CSRF_KEY); // where earlier versions kept it
  if (token) localStorage.setItem(CSRF_KEY, token);
  else localStorage.removeItem(CSRF_KEY);
}

function baseHeaders(asSelf = false) {
  const headers = { 'Accept-Language': i18n.global.locale.value === 'en' ? 'en' : 'zh-CN' };
  if (acting.accountId && !asSelf) headers['X-Acting-For'] = acting.accountId;
  return headers;
}

// asSelf: the helper's own request even while acting for a villager (the helper console's list).
export function csrfToken() {
  return localStorage.getItem(CSRF_KEY) || sessionStorage.getItem(CSRF_KEY);
}

export async function api(method, path, body, { raw = false, contentType, asSelf = false, headers: extra = {} } = {}) {
  const headers = { ...baseHeaders(asSelf), ...extra };
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = csrfToken();
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = contentType || body.type;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : raw ? await res.blob() : await res.text();
  if (!res.ok) {
    // The villager revoked the consent (or it expired): the helper stops acting for them at once.
    if (res.status === 403 && acting.accountId && String(data?.type || '').endsWith('/access/no-consent')) stopActing();
    throw new ApiError(res.status, typeof data === 'object' ? data : null);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body = {}) => api('POST', path, body);

// A GET whose headers matter as much as its body: the disclosure preview answers the exact entry
// bytes with X-Entry-SHA256 and X-Published-At-Ms, which the publish call must send back.
export async function getRaw(path) {
  const headers = baseHeaders();
  const res = await fetch(path, { headers, credentials: 'same-origin' });
  const text = await res.text();
  if (!res.ok) {
    let problem = null;
    try { problem = JSON.parse(text); } catch { /* not a problem document */ }
    throw new ApiError(res.status, problem);
  }
  return { text, headers: res.headers };
}
