#!/usr/bin/env node
// The access matrix (T-AC, docs/security.md): every route of the real server × every subject ×
// every tenant position, checked against the expectations derived from THE policy table that the
// server itself publishes at GET /api/v1/access-policy.
//
//   node tests/access/matrix.mjs --binary build/gongzhi --template-dir DIR --work-dir DIR
//        [--must-fail]   negative control: run against a binary built with one scope check
//                        removed (gongzhi_access_nc); succeeds only if mismatches are found
//        [--report FILE] write every case as JSON lines
//        [--postgres STATE_DIR] the server on PostgreSQL: a copy of the demo database of the
//                        ctest cluster (tests/support/postgres.mjs); --template-dir is then the
//                        demo data folder made with that database (its keys sealed it)
//
// How a case is judged. A request is sent as the subject (bearer token; helpers acting for a
// villager add X-Acting-For). State-changing routes get the body {"__probe":1}: a caller the
// policy admits meets body validation (400 http/unknown-field) and changes nothing, a refused
// caller gets 401/403/404. Observed classes: 401 -> unauthenticated, 403 -> forbidden, 404 with
// the route's "not found" problem -> not-found, anything else -> allow. The expected class
// comes from policy.mjs evaluating the published table for the subject's grants and the target
// object's place and owners. Every route must be covered by a spec in routes.mjs or listed there
// as skipped with a reason: a new route without either fails the run (the census).
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { decide } from './policy.mjs';
import { pgDatabaseFor, readPgCluster } from '../support/postgres.mjs';
import { SUBJECTS, POSITIONS, demoTotp, DEMO_PASSWORD } from './subjects.mjs';
import { ROUTE_SPECS, SKIPPED_ROUTES, harvestObjects } from './routes.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const o = { binary: null, templateDir: null, workDir: null, mustFail: false, report: null, concurrency: 8, postgres: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i];
    if (a === '--binary') o.binary = path.resolve(val());
    else if (a === '--template-dir') o.templateDir = path.resolve(val());
    else if (a === '--work-dir') o.workDir = path.resolve(val());
    else if (a === '--must-fail') o.mustFail = true;
    else if (a === '--report') o.report = path.resolve(val());
    else if (a === '--concurrency') o.concurrency = Number(val());
    else if (a === '--postgres') o.postgres = readPgCluster(path.resolve(val()));
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.binary || !o.templateDir || !o.workDir) throw new Error('need --binary, --template-dir and --work-dir');
  return o;
}

// ---- the server -------------------------------------------------------------------------------

function startServer(binary, dataDir, env = {}) {
  const proc = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir],
                     { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const tail = [];
  let port = null;
  const listening = new Promise((resolve, reject) => {
    let partial = '';
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d) => {
      partial += d;
      let nl;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        tail.push(line);
        if (tail.length > 50) tail.shift();
        if (port === null && line.includes('"event":"listening"')) {
          const m = /"port":(\d+)/.exec(line) || /127\.0\.0\.1:(\d+)/.exec(line);
          if (m) { port = Number(m[1]); resolve(port); }
        }
      }
    });
    proc.stdout.resume();
    proc.on('exit', (code, sig) => reject(new Error(`server exited (${code ?? sig}) before listening:\n${tail.join('\n')}`)));
    setTimeout(() => reject(new Error(`server did not listen within 120 s:\n${tail.join('\n')}`)), 120000);
  });
  return { proc, listening, tail };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let PORT = 0;

function request(method, target, { token = null, actingFor = null, body = null, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const h = { Accept: 'application/json', 'Accept-Language': 'en', ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    if (actingFor) h['X-Acting-For'] = String(actingFor);
    let data = null;
    if (body !== null) {
      data = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      if (!h['Content-Type']) h['Content-Type'] = 'application/json';
      h['Content-Length'] = data.length;
    }
    const req = http.request({ host: '127.0.0.1', port: PORT, method, path: target, headers: h, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { json = null; }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.setTimeout(30000, () => req.destroy(new Error(`timeout: ${method} ${target}`)));
    if (data) req.write(data);
    req.end();
  });
}

export const api = { request };

// ---- subjects ---------------------------------------------------------------------------------

async function signIn(phone, staff) {
  const body = { phone, password: DEMO_PASSWORD, client: 'bearer' };
  if (staff) body.totp = demoTotp(phone);
  const res = await request('POST', '/api/v1/auth/sign-in', { body });
  if (res.status !== 200 || !res.json || !res.json.token)
    throw new Error(`sign-in of demo account ${phone} failed: ${res.status} ${res.text.slice(0, 300)}`);
  return res.json.token;
}

async function whoAmI(token) {
  const res = await request('GET', '/api/v1/me', { token });
  if (res.status !== 200) throw new Error(`GET /api/v1/me failed: ${res.status} ${res.text.slice(0, 300)}`);
  return res.json;
}

// The person the policy sees: { account_id, resident_id, household_id, grants: [{role, scope}] }.
function personFromMe(me) {
  const a = me.account || me;
  return {
    account_id: a.id ?? a.account_id,
    resident_id: a.resident_id ?? 0,
    household_id: a.household_id ?? 0,
    village: a.village ?? a.home_village ?? '',
    grants: (me.grants || me.roles || a.grants || []).map((g) => ({ role: g.role, scope: g.scope })),
  };
}

async function prepareSubjects() {
  const accounts = {};
  for (const s of SUBJECTS) {
    if (!s.phone || accounts[s.phone]) continue;
    const token = await signIn(s.phone, s.staff);
    accounts[s.phone] = { token, person: personFromMe(await whoAmI(token)) };
  }
  return SUBJECTS.map((s) => {
    if (!s.phone) return { ...s, token: null, person: null };
    const own = accounts[s.phone];
    const out = { ...s, token: own.token, person: own.person };
    if (s.actingForPhone) {
      const v = accounts[s.actingForPhone];
      out.actingFor = v.person.account_id;
      out.actingForPerson = v.person;
    }
    return out;
  });
}

// Refusals already on the audit trail (sign-in and harvesting may cause some).
async function countDenied(subjects) {
  const auditor = subjects.find((s) => s.name === 'auditor');
  let n = 0;
  let before = null;
  for (;;) {
    const q = `/api/v1/audit?action=access.denied&limit=500${before ? `&before=${before}` : ''}`;
    const res = await request('GET', q, { token: auditor.token });
    if (res.status !== 200) throw new Error(`GET ${q} as the auditor: ${res.status} ${res.text.slice(0, 200)}`);
    n += res.json.items.length;
    before = res.json.next_before;
    if (!before) break;
  }
  return n;
}

// ---- running ----------------------------------------------------------------------------------

function classify(res, spec) {
  if (res.status === 401) return 'unauthenticated';
  if (res.status === 403) {
    const type = res.json && res.json.type;
    if (spec.allowedForbidden && type && spec.allowedForbidden.includes(type)) return 'allow';
    return 'forbidden';
  }
  if (res.status === 404) {
    const type = res.json && res.json.type;
    if (spec.allowedNotFound && type && spec.allowedNotFound.includes(type)) return 'allow';
    return 'not-found';
  }
  if (res.status >= 500) return `server-error-${res.status}`;
  return 'allow';
}

async function pool(items, n, fn) {
  let next = 0;
  const workers = Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  fs.rmSync(o.workDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(o.workDir), { recursive: true });
  fs.cpSync(o.templateDir, o.workDir, { recursive: true });
  const env = o.postgres ? { GONGZHI_DATABASE: pgDatabaseFor(o.postgres, path.basename(o.workDir), true) } : {};
  const server = startServer(o.binary, o.workDir, env);
  let failed = false;
  try {
    PORT = await server.listening;
    const policy = (await request('GET', '/api/v1/access-policy')).json;
    if (!policy || !policy.routes) throw new Error('GET /api/v1/access-policy did not answer the table');

    // Census: every route of the server is either covered or skipped with a reason.
    const key = (r) => `${r.method} ${r.pattern}`;
    const uncovered = policy.routes.filter((r) => !ROUTE_SPECS[key(r)] && !SKIPPED_ROUTES[key(r)]);
    const stale = Object.keys(ROUTE_SPECS).concat(Object.keys(SKIPPED_ROUTES))
      .filter((k) => !policy.routes.some((r) => key(r) === k));
    if (uncovered.length || stale.length) {
      console.log('FAIL census: tests/access/routes.mjs does not match the server');
      for (const r of uncovered) console.log(`  route without a spec: ${key(r)} [${r.permission}]`);
      for (const k of stale) console.log(`  spec for a route the server does not have: ${k}`);
      failed = true;
    }

    const subjects = await prepareSubjects();
    const objects = await harvestObjects({ request, subjects });
    const deniedBefore = await countDenied(subjects);

    const cases = [];
    for (const route of policy.routes) {
      const spec = ROUTE_SPECS[key(route)];
      if (!spec) continue;
      const targets = spec.targets ? spec.targets(objects) : [{ position: 'none', params: {}, target: null }];
      for (const t of targets) {
        for (const subject of subjects) {
          cases.push({ route, spec, t, subject });
        }
      }
    }

    const mismatches = [];
    const tally = {};
    const reportLines = [];
    await pool(cases, o.concurrency, async ({ route, spec, t, subject }) => {
      const expected = decide(policy, route.permission, subject, t.target);
      const target = spec.path(t.params);
      const method = route.method === 'HEAD' ? 'GET' : route.method;
      const body = spec.body === undefined ? (method === 'GET' || method === 'DELETE' ? null : { __probe: 1 }) : spec.body;
      const res = await request(method, target, { token: subject.token, actingFor: subject.actingFor, body });
      const got = classify(res, spec);
      tally[expected] = (tally[expected] || 0) + 1;
      const line = { route: key(route), permission: route.permission, position: t.position, subject: subject.name,
                     expected, got, status: res.status, type: res.json && res.json.type };
      reportLines.push(line);
      if (got !== expected) mismatches.push(line);
    });
    if (o.report) fs.writeFileSync(o.report, reportLines.map((l) => JSON.stringify(l)).join('\n') + '\n');

    // T-AC-8: each refusal is on the audit trail exactly once ("access.denied"), read back by the
    // auditor. Refusals are counted from what the server answered, not from what was expected.
    // Policy refusals only: an admitted call refused by a business rule afterwards (a self-grant:
    // allowedForbidden) or missing a sub-object (allowedNotFound) counts as admitted.
    const refused = reportLines.filter((l) => ['unauthenticated', 'forbidden', 'not-found'].includes(l.got)).length;
    const auditor = subjects.find((s) => s.name === 'auditor');
    let logged = 0;
    let before = null;
    for (;;) {
      const q = `/api/v1/audit?action=access.denied&limit=500${before ? `&before=${before}` : ''}`;
      const res = await request('GET', q, { token: auditor.token });
      if (res.status !== 200) throw new Error(`GET ${q} as the auditor: ${res.status} ${res.text.slice(0, 200)}`);
      logged += res.json.items.length;
      before = res.json.next_before;
      if (!before) break;
    }
    const deniedLogged = logged - deniedBefore;
    console.log(`deny logging (T-AC-8): ${refused} refusals answered, ${deniedLogged} access.denied records written`);
    if (deniedLogged !== refused && !o.mustFail) {
      console.log('FAIL deny logging: every refusal must be recorded exactly once');
      failed = true;
    }

    const routesCovered = new Set(cases.map((c) => key(c.route))).size;
    console.log(`access matrix: ${cases.length} cases, ${routesCovered} routes × ${subjects.length} subjects × positions; ` +
                `expected ${Object.entries(tally).map(([k, v]) => `${k} ${v}`).join(', ')}; ` +
                `${Object.keys(SKIPPED_ROUTES).length} routes skipped with a reason; ${mismatches.length} mismatches`);
    for (const m of mismatches.slice(0, 60))
      console.log(`  MISMATCH ${m.route} as ${m.subject} on ${m.position}: expected ${m.expected}, got ${m.got} (${m.status} ${m.type || ''})`);
    if (mismatches.length > 60) console.log(`  ... and ${mismatches.length - 60} more`);

    if (o.mustFail) {
      if (mismatches.length === 0) {
        console.log('FAIL negative control: the matrix found no mismatch against a binary with a scope check removed');
        failed = true;
      } else {
        console.log(`ok   negative control: ${mismatches.length} mismatches found, as they must be`);
        failed = false;
      }
    } else if (mismatches.length) {
      failed = true;
    }
  } catch (e) {
    console.log(`FAIL ${e.stack || e.message}\n--- server log tail ---\n${server.tail.join('\n')}`);
    failed = true;
  } finally {
    server.proc.kill('SIGTERM');
    agent.destroy();
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
