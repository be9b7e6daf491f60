// A digital helper (帮办员) acting for a villager who has consented (consents API): every request
// then carries X-Acting-For, and the villager's name stays on screen (App.vue) so the helper never
// forgets whose name they are acting in. Only the account id is kept, per tab (sessionStorage);
// the name is read again from the server (an audited read the villager sees) after a reload.
import { reactive } from 'vue';

const KEY = 'gz.acting-for';

export const acting = reactive({ accountId: sessionStorage.getItem(KEY) || null, name: '' });

export function startActing(accountId, name) {
  acting.accountId = accountId;
  acting.name = name || '';
  sessionStorage.setItem(KEY, accountId);
}

export function stopActing() {
  acting.accountId = null;
  acting.name = '';
  sessionStorage.removeItem(KEY);
}
