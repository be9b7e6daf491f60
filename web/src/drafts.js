// The appeal being written is kept on the phone (localStorage) as it is typed, so nothing is lost
// on a weak connection. One whose sending failed for want of a network goes to the outbox
// (outbox.js, IndexedDB): the service worker sends it when the connection returns (Background
// Sync), even with the app closed; an open page sends it on `online` and on the home page.
// Without IndexedDB the draft itself is marked pending and sent by the page, as before.
import { api, ApiError, csrfToken } from './api.js';
import { acting } from './acting.js';
import { session } from './session.js';
import { i18n } from './i18n.js';
import {
  SYNC_TAG, addToOutbox, outboxAvailable, outboxEntries, removeFromOutbox, sendEntry, updateOutboxEntry, withOutboxLock,
} from './outbox.js';

const KEY = 'gz.appeal-draft';

// The Idempotency-Key sent with an appeal: the same appeal sent again (its answer was lost on a weak
// network, or the outbox sends it after the page did) files it once. getRandomValues, not
// randomUUID: the latter needs a secure context, and a county may serve plain HTTP on its LAN.
export function newSubmissionKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'gz-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// A draft is the villager's it was typed for, by the account that typed it: a helper's draft for
// one villager is never restored or sent while acting for another (or for nobody), nor anyone's
// for the next person who signs in on a shared phone.
const me = () => session.me?.account?.id || null;
const ours = (d) => d && (d.for || null) === (acting.accountId || null) && (!d.by || d.by === me());

export function loadDraft() {
  try {
    const draft = JSON.parse(localStorage.getItem(KEY)) || null;
    return ours(draft) ? draft : null;
  } catch {
    return null;
  }
}

export function saveDraft(draft) {
  localStorage.setItem(KEY, JSON.stringify({ ...draft, for: acting.accountId || null, by: me(), saved_at: Date.now() }));
}

export function clearDraft() {
  if (loadDraft()) localStorage.removeItem(KEY);
}

// True when the failure is the network's (no answer at all), not the server's refusal.
export function isOffline(error) {
  return !(error instanceof ApiError);
}

// Keeps an appeal that could not be sent; true when the outbox (and so the service worker) has it.
export async function queueAppeal({ category, text, photo, key }) {
  key ||= newSubmissionKey();
  if (outboxAvailable()) {
    try {
      await addToOutbox({
        category, text, photo: photo || null, key, for: acting.accountId || null, by: me(), csrf: csrfToken(),
        lang: i18n.global.locale.value === 'en' ? 'en' : 'zh-CN',
      });
      clearDraft();
      const reg = await navigator.serviceWorker?.getRegistration?.();
      await reg?.sync?.register(SYNC_TAG).catch(() => null);
      return true;
    } catch {
      // IndexedDB refused (private mode of some browsers): the draft below still keeps it.
    }
  }
  saveDraft({ category, text, key, pending: true });
  return false;
}

function announce(appeal) {
  window.dispatchEvent(new CustomEvent('gz-draft-sent', { detail: appeal }));
}

// Sends what waits: the outbox's entries, then a pending draft of the fallback. A refusal by the
// server that signing in again cures (401, 403) keeps the entry; any other refusal puts the text
// back into the draft with the server's reason, so the villager can change it and send it again.
let sending = null;
export function sendPendingDraft() {
  if (!navigator.onLine) return Promise.resolve(null);
  sending ??= (async () => {
    if (outboxAvailable()) {
      await withOutboxLock(async () => {
        // Only what this account queued: the service worker sends with each entry's own token,
        // which the server refuses once its session is over; this page sends with today's.
        for (const entry of (await outboxEntries()).filter((e) => e.by === me())) {
          const result = await sendEntry({ ...entry, csrf: csrfToken() || entry.csrf });
          if (result.appeal) {
            await removeFromOutbox(entry.id);
            announce(result.appeal);
          } else if (result.refused.status === 401 || result.refused.status === 403) {
            await updateOutboxEntry({ ...entry, refused: result.refused });
          } else {
            await removeFromOutbox(entry.id);
            localStorage.setItem(KEY, JSON.stringify({ category: entry.category, text: entry.text, for: entry.for, by: entry.by, refused: result.refused.detail, saved_at: Date.now() }));
          }
        }
      });
    }
    const draft = loadDraft();
    if (draft?.pending) {
      const appeal = await api('POST', '/api/v1/appeals', { category: draft.category, text: draft.text },
        { headers: draft.key ? { 'Idempotency-Key': draft.key } : {} });
      clearDraft();
      announce(appeal);
    }
  })().finally(() => {
    sending = null;
  });
  return sending;
}

// Still no network, or a busy server (outbox.js: isTransient): try again a little later while the
// page is open (the service worker's sync retries too).
let retry = null;
function sendSoon() {
  sendPendingDraft().catch(() => {
    clearTimeout(retry);
    retry = setTimeout(sendSoon, 10_000);
  });
}
window.addEventListener('online', sendSoon);
// The service worker sent one while a page was open: the page says so.
navigator.serviceWorker?.addEventListener('message', (event) => {
  if (event.data?.type === 'gz-draft-sent') announce(event.data.appeal);
});
navigator.serviceWorker?.startMessages?.();
