import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.js';
import { i18n, languageReady } from './i18n.js';
import { installVant } from './vant.js';
import './elder.js';
import './styles.css';

const app = createApp(App);
app.use(i18n);
app.use(router);
installVant(app);
// English texts are fetched first when English was chosen (Chinese ones come with the app).
languageReady.then(() => app.mount('#app'));

// The service worker keeps the app's files for a weak or lost connection (public/sw.js); the
// draft of an appeal is kept in localStorage and sent when the connection returns (drafts.js).
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  window.addEventListener('load', () => navigator.serviceWorker.register('/sw.js').catch(() => {}));
}

// Enter in a one-line field submits its form, as in any web form. Vant's Field swallows Enter
// (preventDefault on keypress) unless it sits in a <van-form>, and most forms here are plain
// <form>s: without this, keyboard users had to tab to the button. Not while an IME composes (Enter
// then confirms the pinyin), never in a textarea.
document.addEventListener('keydown', (e) => {
  const el = e.target;
  if (e.key !== 'Enter' || e.isComposing || !(el instanceof HTMLInputElement) || !el.form) return;
  if (!el.closest('.van-field') || el.closest('.van-form')) return;
  e.preventDefault();
  el.form.requestSubmit();
});
