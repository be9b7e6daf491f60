#!/usr/bin/env node
// Issue #6: "Everything the API offers at the time must be reachable from the web app." This census
// reads the API's own description (src/app/openapi.json) and fails when an operation meant for people
// is called nowhere in web/src, so a module that lands with new routes cannot forget its pages.
// Run by ctest (web.reachability, in `make test`), not by the build: a module that lands a route
// before its page breaks a test, never `make build` or `make run`.
//
// How a call is recognised: every string or template literal in web/src starting with `/api/`,
// `/print/` or `/v/` is a path; `${...}` in it stands for one path segment (an id, a code)
// and a trailing `?...` or `${query}` for the query string. A placeholder standing where the route
// has a fixed word (`/appeals/${id}/${command}`) counts only when that word is a quoted string in the
// same file (the page's list of commands). The method is the one of `get(`, `post(`, `getRaw(` or
// `api('PUT', ...` just before the literal (any method after `fetch(`, whose options say it); a
// literal used otherwise (a link, an <img>) is a GET.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(here, '..', 'src');
const openapiPath = process.argv[2] || path.resolve(here, '..', '..', 'src', 'app', 'openapi.json');

// Machine-facing operations: called by programs, not by people in a browser. Each entry says why.
// A route is added here only when no person is meant to use it from the app.
const MACHINE = [
  ['GET', /^\/healthz$/, 'liveness probe for the process supervisor'],
  ['GET', /^\/readyz$/, 'readiness probe for the load balancer'],
  ['GET', /^\/metrics$/, 'Prometheus scrape'],
  ['GET', /^\/api\/openapi\.json$/, 'the API description for client generators (this file)'],
  ['*', /^\/tlog\//, 'transparency-log tiles and checkpoint, read by verifiers (and /v/verify.js)'],
  ['*', /^\/api\/v1\/tlog\//, 'inclusion and consistency proofs, read by verifiers (and /v/verify.js)'],
  ['GET', /^\/v\/verify\.js$/, 'the script of the server-rendered verification page'],
  ['*', /^\/open311\/v2\//, 'GeoReport v2 for third-party apps holding an API key (clients are managed in the app)'],
  ['POST', /^\/api\/v1\/divisions\/lookup$/, 'bulk code lookup for imports and integrators'],
  ['GET', /^\/api\/v1\/divisions$/, 'the province list, for integrators; the app walks /divisions/{code}/children'],
  ['GET', /^\/api\/v1\/disclosure\/kinds$/, 'the kinds list for integrators; the app carries the kind names in its own texts'],
  ['GET', /^\/api\/v1\/disclosure\/items\/\{id\}\/entry$/, 'the raw log entry, fetched by verifiers; people see it in the preview and on /v/'],
  // Not machine-facing, but reached through a link the server hands out rather than one the app
  // builds: an item's verify_path (and the QR code on the printed notice).
  ['GET', /^\/v\/\{village\}\/\{id\}$/, 'the verification page, linked by the item\'s verify_path'],
];

const isMachine = (method, p) => MACHINE.some(([m, re]) => (m === '*' || m === method) && re.test(p));

const doc = JSON.parse(fs.readFileSync(openapiPath, 'utf8'));
const operations = [];
// The negative control (ctest web.reachability_negative_control) adds an operation no page calls.
if (process.env.GZ_REACHABILITY_PROBE) {
  const [method, p] = process.env.GZ_REACHABILITY_PROBE.split(' ');
  doc.paths[p] = { ...(doc.paths[p] || {}), [method.toLowerCase()]: {} };
}
for (const [p, item] of Object.entries(doc.paths)) {
  for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
    if (item[m]) operations.push({ method: m.toUpperCase(), path: p });
  }
}

const files = [];
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
  const f = path.join(dir, e.name);
  if (e.isDirectory()) walk(f);
  else if (/\.(vue|js)$/.test(e.name) && !f.includes(`${path.sep}locales${path.sep}`)) files.push(f);
});
walk(src);

const PLACEHOLDER = '\u0000';
const calls = []; // { method|null, segments, words:Set, file }
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  const words = new Set([...text.matchAll(/'([a-z_-]+)'/g)].map((m) => m[1]));
  for (const m of text.matchAll(/(['`"])((?:\/api\/|\/print\/|\/v\/)(?:\$\{[^}]*\}|[^'`"\s$])*)\1/g)) {
    let literal = m[2].replace(/\$\{[^}]*\}/g, PLACEHOLDER);
    literal = literal.split('?')[0];
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    let method = 'GET';
    const explicit = before.match(/api\(\s*'([A-Z]+)'\s*,\s*$/);
    if (explicit) method = explicit[1];
    else if (/\bpost\(\s*$/.test(before)) method = 'POST';
    else if (/\bfetch\(\s*$/.test(before)) method = null; // the method is in the options: any
    calls.push({ method, literal, words, file: path.relative(src, f) });
  }
}

function reaches(call, op) {
  if (call.method && call.method !== op.method) return false;
  const routeSegs = op.path.split('/');
  let segs = call.literal.split('/');
  // A trailing placeholder glued to a word is the query string: `/appeals${query}`.
  if (segs.length && segs[segs.length - 1].endsWith(PLACEHOLDER) && segs[segs.length - 1] !== PLACEHOLDER) {
    segs[segs.length - 1] = segs[segs.length - 1].replace(new RegExp(`${PLACEHOLDER}+$`), '');
  }
  if (segs.length !== routeSegs.length) return false;
  return routeSegs.every((r, i) => {
    const s = segs[i];
    if (/^\{[^}]+\}$/.test(r)) return s.length > 0;
    if (s === r) return true;
    if (s === PLACEHOLDER) return call.words.has(r);
    // A file name with a placeholder: `data.html` vs `${x}.html` does not occur; keep exact.
    return false;
  });
}

const missing = operations.filter((op) => !isMachine(op.method, op.path) && !calls.some((c) => reaches(c, op)));
const machine = operations.filter((op) => isMachine(op.method, op.path)).length;
if (missing.length) {
  console.error(`reachability: ${missing.length} API operation(s) for people are called nowhere in web/src:`);
  for (const op of missing) console.error(`  ${op.method} ${op.path}`);
  console.error('Add the page that uses each, or (only for a route no person uses) an entry with its reason to MACHINE in web/scripts/check-reachability.mjs.');
  process.exit(1);
}
console.log(`reachability: ${operations.length - machine} operations for people, each called from web/src; ${machine} machine operations allowed`);
