#!/usr/bin/env node
// Every text exists in both languages, and every t('key') the pages use exists: run by the build
// (`npm run build`), so a page cannot ship a key that shows up raw in one language.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const zh = (await import(path.join(src, 'locales', 'zh-CN.js'))).default;
const en = (await import(path.join(src, 'locales', 'en.js'))).default;

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
if (problems.length) {
  console.error(`i18n:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`i18n: ${zhKeys.size} texts in zh-CN and en, every key used exists`);
