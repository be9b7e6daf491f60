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
// The villager pages a first visit reaches; the entry (index.html) holds sign-in and home.
const FIRST_LOAD = ['index.html'];

const files = new Set();
function walk(key) {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const css of chunk.css || []) files.add(css);
  for (const imported of chunk.imports || []) walk(imported);
}
FIRST_LOAD.forEach(walk);

let total = 0;
const rows = [];
for (const file of files) {
  if (!/\.(js|css)$/.test(file)) continue;
  const bytes = fs.readFileSync(path.join(dist, file));
  const gz = zlib.gzipSync(bytes, { level: 9 }).length;
  total += gz;
  rows.push(`  ${file}  ${(bytes.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzip`);
}
const echartsInFirstLoad = [...files].some((f) => /echarts/i.test(f)) ||
  [...files].some((f) => f.endsWith('.js') && fs.readFileSync(path.join(dist, f), 'utf8').includes('echarts'));
console.log(`budget: villager first load, JS + CSS:\n${rows.join('\n')}`);
console.log(`budget: ${(total / 1024).toFixed(1)} KB gzip of ${BUDGET / 1024} KB`);
if (echartsInFirstLoad) {
  console.error('budget: ECharts is in the first load; it must be loaded lazily by the dashboard only');
  process.exit(1);
}
if (total > BUDGET) {
  console.error(`budget: OVER by ${((total - BUDGET) / 1024).toFixed(1)} KB`);
  process.exit(1);
}
