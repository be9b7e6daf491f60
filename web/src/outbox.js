// Appeals filed without a connection (送不出去的诉求), kept in IndexedDB until the server has them.
// The service worker reads the same store (public/sw.js, which repeats this small IndexedDB and
// sending code, since it is not bundled): with Background Sync (Chromium, most Android phones) it
// sends them when the connection returns even if no page of the app is open; an open page sends
// them itself on `online` and on the home page. The two never send the same entry twice at once:
// both take the Web Lock "gz-outbox" and an entry leaves the store as soon as the server has it.
// An entry carries what the request needs (the CSRF token of the session, the villager a helper
// acted for, the language, the photo as a Blob); it is deleted once sent.
const DB = 'gz-outbox';
const STORE = 'appeals';
export const SYNC_TAG = 'gz-outbox';

function openDb() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function run(mode, fn) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const r = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(r?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const outboxAvailable = () => typeof indexedDB !== 'undefined';
export const addToOutbox = (entry) => run('readwrite', (s) => s.add({ ...entry, queued_at: Date.now() }));
export const outboxEntries = () => run('readonly', (s) => s.getAll());
export const removeFromOutbox = (id) => run('readwrite', (s) => s.delete(id));
export const updateOutboxEntry = (entry) => run('readwrite', (s) => s.put(entry));

export function withOutboxLock(fn) {
  return navigator.locks ? navigator.locks.request('gz-outbox', fn) : fn();
}

export const isTransient = (status) => status >= 500 || status === 408 || status === 429;

// Sends one entry. Resolves { appeal } when filed, { refused: problem } when the server said no
// (the entry is then the page's to show), and throws when there is still no network.
export async function sendEntry(entry) {
  const headers = { 'Content-Type': 'application/json', 'Accept-Language': entry.lang || 'zh-CN' };
  if (entry.csrf) headers['X-CSRF-Token'] = entry.csrf;
  if (entry.for) headers['X-Acting-For'] = entry.for;
  if (entry.key) headers['Idempotency-Key'] = entry.key;
  const res = await fetch('/api/v1/appeals', {
    method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify({ category: entry.category, text: entry.text }),
  });
  const body = await res.json().catch(() => null);
  // A busy or unavailable server (5xx, 408, 429) has not refused the appeal: it stays in the
  // outbox and is sent again later, like when there is no network.
  if (isTransient(res.status)) throw new Error(`HTTP ${res.status}`);
  if (!res.ok) return { refused: { status: res.status, type: body?.type, detail: body?.detail || body?.title || `HTTP ${res.status}` } };
  if (entry.photo) {
    const photoHeaders = { 'Content-Type': entry.photo.type || 'image/jpeg', 'Accept-Language': headers['Accept-Language'] };
    if (entry.csrf) photoHeaders['X-CSRF-Token'] = entry.csrf;
    if (entry.for) photoHeaders['X-Acting-For'] = entry.for;
    // The appeal is filed: a photo the server refuses does not undo it (nor does a lost connection).
    await fetch(`/api/v1/appeals/${body.id}/photos`, { method: 'POST', credentials: 'same-origin', headers: photoHeaders, body: entry.photo }).catch(() => null);
  }
  return { appeal: body };
}
