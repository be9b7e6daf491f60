// The draft of an appeal, kept on the phone (localStorage) as it is typed, so nothing is lost on
// a weak connection: a draft whose sending failed for want of a network is marked pending and
// sent when the connection returns (the `online` event, or the next visit of the home page).
import { api, ApiError } from './api.js';
import { acting } from './acting.js';

const KEY = 'gz.appeal-draft';

// A draft is the villager's it was typed for: a helper's draft for one villager is never restored
// or sent while acting for another (or for nobody).
export function loadDraft() {
  try {
    const draft = JSON.parse(localStorage.getItem(KEY)) || null;
    return draft && (draft.for || null) === (acting.accountId || null) ? draft : null;
  } catch {
    return null;
  }
}

export function saveDraft(draft) {
  localStorage.setItem(KEY, JSON.stringify({ ...draft, for: acting.accountId || null, saved_at: Date.now() }));
}

export function clearDraft() {
  if (loadDraft()) localStorage.removeItem(KEY);
}

// True when the failure is the network's (no answer at all), not the server's refusal.
export function isOffline(error) {
  return !(error instanceof ApiError);
}

let sending = null;
export async function sendPendingDraft() {
  const draft = loadDraft();
  if (!draft?.pending || !navigator.onLine) return null;
  sending ??= api('POST', '/api/v1/appeals', { category: draft.category, text: draft.text })
    .then((appeal) => {
      clearDraft();
      window.dispatchEvent(new CustomEvent('gz-draft-sent', { detail: appeal }));
      return appeal;
    })
    .finally(() => {
      sending = null;
    });
  return sending;
}

window.addEventListener('online', () => sendPendingDraft().catch(() => null));
