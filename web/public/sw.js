// gongzhi's service worker: the app's own files stay usable on a weak or lost connection.
// Pages (navigations) go to the network first and fall back to the cached index.html; hashed
// assets are cached on first use (their names change with their content). The API is never
// cached: its answers carry personal data and say Cache-Control: no-store. Appeals filed without a
// connection are sent from here when it returns (Background Sync; the outbox at the end).
const CACHE = 'gz-app-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(['/'])).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (event.request.mode === 'navigate') {
    event.respondWith(
      fetch(event.request)
        .then((res) => {
          const copy = res.clone();
          if (res.ok) caches.open(CACHE).then((c) => c.put('/', copy));
          return res;
        })
        .catch(() => caches.match('/')));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(event.request).then((hit) => hit || fetch(event.request).then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(event.request, copy));
        }
        return res;
      })));
  }
});

// ---- The outbox: appeals filed without a connection (web/src/outbox.js keeps them; this repeats
// its IndexedDB and sending code because the service worker is not bundled). On Background Sync
// (the connection is back, even with no page of the app open) they are sent; a refusal by the
// server is recorded on the entry for a page to show; a network failure makes the browser retry.
const OUTBOX_DB = 'gz-outbox';
const OUTBOX_STORE = 'appeals';

function outboxDb() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(OUTBOX_DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(OUTBOX_STORE, { keyPath: 'id', autoIncrement: true });
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function outboxRun(mode, fn) {
  const db = await outboxDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(OUTBOX_STORE, mode);
      const r = fn(tx.objectStore(OUTBOX_STORE));
      tx.oncomplete = () => resolve(r && r.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

function headersOf(entry, contentType) {
  const h = { 'Content-Type': contentType, 'Accept-Language': entry.lang || 'zh-CN' };
  if (entry.csrf) h['X-CSRF-Token'] = entry.csrf;
  if (entry.for) h['X-Acting-For'] = entry.for;
  return h;
}

async function flushOutbox() {
  const entries = (await outboxRun('readonly', (s) => s.getAll())).filter((e) => !e.refused);
  for (const entry of entries) {
    // A fetch that throws (still no network) rejects the sync event: the browser tries again later.
    const headers = headersOf(entry, 'application/json');
    // The same key as every other try of this entry: an appeal whose answer was lost is not filed twice.
    if (entry.key) headers['Idempotency-Key'] = entry.key;
    const res = await fetch('/api/v1/appeals', {
      method: 'POST', credentials: 'same-origin', headers,
      body: JSON.stringify({ category: entry.category, text: entry.text }),
    });
    const body = await res.json().catch(() => null);
    // Busy or unavailable (5xx, 408, 429) is not a refusal: reject the sync event, so the browser
    // tries again later, and keep the entry as it is.
    if (res.status >= 500 || res.status === 408 || res.status === 429) throw new Error('HTTP ' + res.status);
    if (!res.ok) {
      const refused = { status: res.status, type: body && body.type, detail: (body && (body.detail || body.title)) || `HTTP ${res.status}` };
      await outboxRun('readwrite', (s) => s.put({ ...entry, refused }));
      continue;
    }
    await outboxRun('readwrite', (s) => s.delete(entry.id));
    if (entry.photo) {
      await fetch(`/api/v1/appeals/${body.id}/photos`, {
        method: 'POST', credentials: 'same-origin', headers: headersOf(entry, entry.photo.type || 'image/jpeg'), body: entry.photo,
      }).catch(() => null);
    }
    const clients = await self.clients.matchAll({ type: 'window' });
    for (const c of clients) c.postMessage({ type: 'gz-draft-sent', appeal: body });
  }
}

self.addEventListener('sync', (event) => {
  if (event.tag !== 'gz-outbox') return;
  // The page's sender takes the same lock: one sender at a time, each entry sent once.
  event.waitUntil(self.navigator.locks ? self.navigator.locks.request('gz-outbox', flushOutbox) : flushOutbox());
});
