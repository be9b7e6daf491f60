// The draft of an appeal, kept on the phone (localStorage) as it is typed, so nothing is lost on
// a weak connection: a draft whose sending failed for want of a network is marked pending and
// sent when the connection returns (the `online` event, or the next visit of the home page).
import { api, ApiError } from './api.js';

const KEY = 'gz.appeal-draft';

export function loadDraft() {
  try {
    return JSON.parse(localStorage.getItem(KEY)) || null;
  } catch {
    return null;
  }
}

export function saveDraft(draft) {
  localStorage.setItem(KEY, JSON.stringify({ ...draft, saved_at: Date.now() }));
}

export function clearDraft() {
  localStorage.removeItem(KEY);
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
