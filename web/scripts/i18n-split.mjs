// Which texts a villager's phone downloads first, and which only staff pages need (issue #6: the
// villager first load within its budget). src/locales/<lang>.js stay the one place where texts are
// written; this splits them at build time:
//   - the staff pages are the pages every route of which is marked `staff: true` in src/router.js
//     (the router loads the staff texts before entering such a route);
//   - a text goes to the staff part when it is used by staff pages only: every file that names its
//     key (quoted, or as the prefix of a computed key: t('a.b.' + x), t(`a.b.${x}`)) is a staff
//     page. A text no file names literally stays in the first part, so a key computed in a way
//     this cannot see is never missing for a villager.
// Used by vite.config.js (the virtual modules the app imports) and scripts/check-i18n.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const LANGS = ['zh-CN', 'en'];

export function leafKeys(o, prefix = '') {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? leafKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function sourceFiles(src) {
  const files = [];
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) walk(f);
    else if (/\.(vue|js)$/.test(e.name) && !f.includes(`${path.sep}locales${path.sep}`)) files.push(f);
  });
  walk(src);
  return files;
}

// Pages reached only through routes marked staff: true (one route a line in src/router.js).
export function staffPages(src) {
  const routes = fs.readFileSync(path.join(src, 'router.js'), 'utf8').split('\n').filter((l) => /import\('\.\/pages\/\w+\.vue'\)/.test(l));
  const byPage = new Map();
  for (const line of routes) {
    const page = line.match(/import\('\.\/pages\/(\w+\.vue)'\)/)[1];
    const staff = /\bstaff:\s*true\b/.test(line);
    byPage.set(page, (byPage.get(page) ?? true) && staff);
  }
  return new Set([...byPage].filter(([, staff]) => staff).map(([page]) => path.join(src, 'pages', page)));
}

// The keys (and key prefixes, ending in '.') a file names.
export function namedKeys(text) {
  const keys = new Set();
  for (const m of text.matchAll(/['"`]([a-zA-Z]+(?:\.[a-zA-Z0-9_+-]+)*\.?)['"]/g)) keys.add(m[1]);
  for (const m of text.matchAll(/`([a-zA-Z]+(?:\.[a-zA-Z0-9_-]+)*\.)\$\{/g)) keys.add(m[1]);
  return keys;
}

async function loadLocale(src, lang) {
  const file = path.join(src, 'locales', `${lang}.js`);
  // A fresh module each time (the dev server re-splits when a text changes).
  return (await import(`${pathToFileURL(file).href}?t=${fs.statSync(file).mtimeMs}`)).default;
}

function pick(messages, keys) {
  const out = {};
  for (const key of keys) {
    const parts = key.split('.');
    let from = messages;
    let to = out;
    for (let i = 0; i < parts.length - 1; i++) {
      from = from[parts[i]];
      to = to[parts[i]] ??= {};
    }
    to[parts.at(-1)] = from[parts.at(-1)];
  }
  return out;
}

export async function splitMessages(src) {
  const messages = Object.fromEntries(await Promise.all(LANGS.map(async (l) => [l, await loadLocale(src, l)])));
  const staff = staffPages(src);
  const all = leafKeys(messages['zh-CN']);
  const usedBy = new Map(all.map((k) => [k, new Set()]));
  for (const file of sourceFiles(src)) {
    for (const named of namedKeys(fs.readFileSync(file, 'utf8'))) {
      for (const key of all) {
        if (named.endsWith('.') ? key.startsWith(named) : key === named) usedBy.get(key).add(file);
      }
    }
  }
  const staffKeys = all.filter((k) => usedBy.get(k).size > 0 && [...usedBy.get(k)].every((f) => staff.has(f)));
  const staffSet = new Set(staffKeys);
  const coreKeys = all.filter((k) => !staffSet.has(k));
  const out = { staffPages: staff, staffKeys, coreKeys, core: {}, staff: {} };
  for (const lang of LANGS) {
    const mine = new Set(leafKeys(messages[lang]));
    out.core[lang] = pick(messages[lang], coreKeys.filter((k) => mine.has(k)));
    out.staff[lang] = pick(messages[lang], staffKeys.filter((k) => mine.has(k)));
  }
  out.messages = messages;
  return out;
}

// The Vite side: `import zh from 'virtual:gz-messages/core/zh-CN'` and the other three parts.
export function messagesPlugin(src) {
  const PREFIX = 'virtual:gz-messages/';
  let split = null;
  return {
    name: 'gongzhi-messages',
    resolveId(id) {
      return id.startsWith(PREFIX) ? `\0${id}` : null;
    },
    async load(id) {
      if (!id.startsWith(`\0${PREFIX}`)) return null;
      const [part, lang] = id.slice(PREFIX.length + 1).split('/');
      if (!['core', 'staff'].includes(part) || !LANGS.includes(lang)) throw new Error(`no messages ${id}`);
      split ??= await splitMessages(src);
      for (const lng of LANGS) this.addWatchFile(path.join(src, 'locales', `${lng}.js`));
      return `export default ${JSON.stringify(split[part][lang])};`;
    },
    handleHotUpdate(ctx) {
      if (ctx.file.endsWith('.vue') || ctx.file.endsWith('.js')) split = null;
    },
  };
}
