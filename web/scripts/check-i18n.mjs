#!/usr/bin/env node
// Every text exists in both languages, and every t('key') the pages use exists: run by the build
// (`npm run build`), so a page cannot ship a key that shows up raw in one language.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { splitMessages } from './i18n-split.mjs';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const split = await splitMessages(src);
const zh = split.messages['zh-CN'];
const en = split.messages.en;

const keys = (o, prefix = '') => Object.entries(o).flatMap(([k, v]) =>
  typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]);
const zhKeys = new Set(keys(zh));
const enKeys = new Set(keys(en));
const problems = [];
for (const k of zhKeys) if (!enKeys.has(k)) problems.push(`missing in en: ${k}`);
for (const k of enKeys) if (!zhKeys.has(k)) problems.push(`missing in zh-CN: ${k}`);

// Literal keys in the sources: t('a.b'), te('a.b'), title: 'a.b' in route metas.
const files = [];
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
  const f = path.join(dir, e.name);
  if (e.isDirectory()) walk(f);
  else if (/\.(vue|js)$/.test(e.name) && !f.includes(`${path.sep}locales${path.sep}`)) files.push(f);
});
walk(src);
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  for (const m of text.matchAll(/\bt\('([a-zA-Z]+\.[a-zA-Z_.]+)'/g)) {
    // A key ending in '.' is the prefix of a computed key (t('a.b.' + code)): its texts are a group.
    if (m[1].endsWith('.')) {
      if (![...zhKeys].some((k) => k.startsWith(m[1]))) problems.push(`${path.relative(src, f)}: no texts under t('${m[1]}' + ...)`);
    } else if (!zhKeys.has(m[1])) problems.push(`${path.relative(src, f)}: t('${m[1]}') has no text`);
  }
  for (const m of text.matchAll(/\b(?:title|label): '([a-zA-Z]+\.[a-zA-Z_.]+)'/g)) {
    if (!zhKeys.has(m[1])) problems.push(`${path.relative(src, f)}: '${m[1]}' has no text`);
  }
}
// The first load holds only the texts some non-staff file names (scripts/i18n-split.mjs). A key
// such a file computes from a variable (t(x)) could name a text that went to the staff part and
// show up raw to a villager: outside the staff pages every t() names its key, or the static
// prefix of its key, in the call itself. The one exception: App.vue's page title, from the route
// metas of src/router.js, whose quoted keys keep those texts in the first load.
const DYNAMIC_ALLOWED = new Set(['App.vue: t(route.meta.title)']);
for (const f of files) {
  if (split.staffPages.has(f)) continue;
  const text = fs.readFileSync(f, 'utf8');
  for (const m of text.matchAll(/\bte?\(\s*([^'"`\s)][^,)]*)[,)]/g)) {
    const call = `${path.basename(f)}: ${m[0].replace(/[,)]$/, ')')}`;
    // (a wrapper forwarding its arguments, const t = (...a) => i18n.global.t(...a), is checked at its calls)
    if (!DYNAMIC_ALLOWED.has(call) && !m[1].startsWith('...')) problems.push(`${path.relative(src, f)}: ${m[0]} computes its key; name it (or its prefix) in the call`);
  }
}

if (problems.length) {
  console.error(`i18n:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`i18n: ${zhKeys.size} texts in zh-CN and en, every key used exists; ${split.coreKeys.length} in the first load, `
  + `${split.staffKeys.length} only for the ${split.staffPages.size} staff pages`);
