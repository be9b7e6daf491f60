// Elder mode (长辈模式): bigger type and touch targets, high contrast, read-aloud. Remembered in
// localStorage; applied as a class on <html> so every page follows without its own code.
import { ref, watch } from 'vue';

const KEY = 'gz.elder';
export const elder = ref(localStorage.getItem(KEY) === '1');

function apply(on) {
  document.documentElement.classList.toggle('elder', on);
}
apply(elder.value);
watch(elder, (on) => {
  localStorage.setItem(KEY, on ? '1' : '0');
  apply(on);
});

export const canSpeak = typeof window !== 'undefined' && 'speechSynthesis' in window;

// Reads the main content of the page aloud in the page's language.
export function readAloud(root = document.querySelector('main')) {
  if (!canSpeak || !root) return;
  window.speechSynthesis.cancel();
  const text = root.innerText.replace(/\s+/g, ' ').trim().slice(0, 4000);
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = document.documentElement.lang || 'zh-CN';
  utterance.rate = 0.9;
  window.speechSynthesis.speak(utterance);
}

export function stopReading() {
  if (canSpeak) window.speechSynthesis.cancel();
}
