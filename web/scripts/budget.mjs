#!/usr/bin/env node
// The size budget of the villager pages (issue #6): what a phone downloads before the first
// villager page shows (the entry chunk with everything it imports statically, its CSS, and the
// chunks of the sign-in and home pages) must stay within 150 KB compressed (gzip, which every
// browser accepts; Brotli is smaller still). Reads dist/.vite/manifest.json; exits 1 over budget.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

// GZ_WEB_BUDGET_KB lowers the limit for the negative control (tests/CMakeLists.txt), never raises it.
const BUDGET = Math.min(150, Number(process.env.GZ_WEB_BUDGET_KB) || 150) * 1024;
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', process.argv[2] || 'dist');
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
// The villager pages a first visit reaches; the entry (index.html) holds sign-in and home. A phone
// set to English also fetches the English texts before the first page (src/i18n.js): the budget
// holds for that heavier first load too. Staff texts and pages are never in it.
const FIRST_LOAD = ['index.html'];
const ENGLISH = 'virtual:gz-messages/core/en';
if (!manifest[ENGLISH]) {
  console.error('budget: the English texts are not a chunk of their own (src/i18n.js, scripts/i18n-split.mjs)');
  process.exit(1);
}

const files = new Set();
function walk(key) {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const css of chunk.css || []) files.add(css);
  for (const imported of chunk.imports || []) walk(imported);
}
FIRST_LOAD.forEach(walk);

const gzipSize = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
let total = 0;
const rows = [];
for (const file of files) {
  if (!/\.(js|css)$/.test(file)) continue;
  const gz = gzipSize(file);
  total += gz;
  rows.push(`  ${file}  ${(fs.statSync(path.join(dist, file)).size / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzip`);
}
const english = gzipSize(manifest[ENGLISH].file);
const staffTexts = Object.keys(manifest).filter((k) => k.startsWith('virtual:gz-messages/staff/')).map((k) => manifest[k].file);
if (staffTexts.some((f) => files.has(f))) {
  console.error('budget: the staff texts are in the first load');
  process.exit(1);
}
const echartsInFirstLoad = [...files].some((f) => /echarts/i.test(f)) ||
  [...files].some((f) => f.endsWith('.js') && fs.readFileSync(path.join(dist, f), 'utf8').includes('echarts'));
console.log(`budget: villager first load, JS + CSS:\n${rows.join('\n')}`);
console.log(`budget: ${(total / 1024).toFixed(1)} KB gzip of ${BUDGET / 1024} KB (Chinese); `
  + `${((total + english) / 1024).toFixed(1)} KB with the English texts (${manifest[ENGLISH].file}, ${(english / 1024).toFixed(1)} KB gzip)`);
if (echartsInFirstLoad) {
  console.error('budget: ECharts is in the first load; it must be loaded lazily by the dashboard only');
  process.exit(1);
}
if (total + english > BUDGET) {
  console.error(`budget: OVER by ${((total + english - BUDGET) / 1024).toFixed(1)} KB`);
  process.exit(1);
}
