#!/usr/bin/env node
// The province-scale scenario's load generator and report (bench/README.md, "Province scale").
// Node 18+, no packages.
//
//   node bench/province_load.mjs accounts PORT OUT.json VILLAGERS PHONE_BASE
//       Signs in the demo county administrator, auditor and village cadre, registers VILLAGERS
//       villagers of 成功村 (phones 154 + PHONE_BASE + i) and writes their bearer tokens to OUT.json.
//       Sessions live in the store, so the tokens work on every node of one database.
//   node bench/province_load.mjs run CONFIG.json
//       One measured run: a fixed offered load (open model: requests start on a Poisson schedule
//       at `rate` per second whatever the answers do, so a slow server cannot slow the load down
//       and hide its own latency), split round-robin over `targets`. Each request is of a class
//       drawn by weight (read 75%, write 20%, heavy 5%); its latency is measured from its
//       SCHEDULED start, so queueing at the client counts. Prints one JSON line: per class the
//       count, errors (non-2xx and failed connections), p50/p99/max; the throughput; the CPU time
//       of the server processes and of PostgreSQL's processes (/proc/<pid>/stat, utime + stime,
//       children of the postmaster included) over the measured part; and what PostgreSQL's active
//       sessions were waiting on (pg_stat_activity sampled every 100 ms).
//       With "mode": "saturate" it runs the read class only, closed loop, `connections` at a
//       time, as fast as the server answers: the read throughput of the backend.
//   node bench/province_load.mjs report WORK
//       Writes WORK/section-province.md and .json from WORK/province-*.json.
import fs from 'node:fs';
import http from 'node:http';
import { execFile } from 'node:child_process';
import { DEMO, createVillagers, signIn } from '../tests/support/gzclient.mjs';

// --- accounts ------------------------------------------------------------------------------------
async function accounts(port, out, count, phoneBase) {
  const admin = await signIn(port, DEMO.countyAdmin.phone, undefined, DEMO.countyAdmin.totp);
  const auditor = await signIn(port, DEMO.auditor.phone, undefined, DEMO.auditor.totp);
  const cadre = await signIn(port, DEMO.cadre.phone, undefined, DEMO.cadre.totp);
  const villagers = await createVillagers(port, cadre.token, count, { phoneBase });
  fs.writeFileSync(out, JSON.stringify({ admin: admin.token, auditor: auditor.token, cadre: cadre.token,
    villagers: villagers.map((v) => v.token) }));
}

// --- request mix ---------------------------------------------------------------------------------
// A small seeded generator, so two runs of one configuration send the same sequence.
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

function csvCodes(file, prefix, column = 0) {
  const out = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
    const code = line.split(',')[column];
    if (code && code.startsWith(prefix)) out.push(code);
  }
  return out;
}

// The classes: [weight, [[weight, () => request]...]]. Requests the county administrator may
// make anywhere in the demo county; divisions anywhere in the province (public).
function mix(cfg, tokens, rand) {
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const villages = csvCodes(`${cfg.divisions}/villages.csv`, cfg.province);
  const townships = csvCodes(`${cfg.divisions}/streets.csv`, cfg.province);
  const countyVillages = villages.filter((v) => v.startsWith(cfg.county));
  if (!villages.length || !townships.length || !countyVillages.length) throw new Error('no divisions for the mix');
  const yearAgo = Date.now() - 365 * 86400000;
  let appealN = 0;
  const text = ['村口路灯不亮，晚上看不见路，请尽快修理。', '垃圾收集点三天没有清运了，气味很大。', '村道有个大坑，下雨积水，电动车经过很危险。'];
  return {
    read: [
      [30, () => ({ method: 'GET', path: `/api/v1/divisions/${pick(villages)}` })],
      [15, () => ({ method: 'GET', path: `/api/v1/divisions/${pick(townships)}/children` })],
      [15, () => ({ method: 'GET', path: `/api/v1/villages/${pick(countyVillages)}/residents?limit=20`, token: tokens.admin })],
      [10, () => ({ method: 'GET', path: `/api/v1/villages/${pick(countyVillages)}/households?limit=20`, token: tokens.admin })],
      [25, () => ({ method: 'GET', path: `/api/v1/appeals?village=${pick(countyVillages)}&limit=20`, token: tokens.admin })],
    ],
    write: [
      [1, () => ({ method: 'POST', path: '/api/v1/appeals', token: pick(tokens.villagers),
        body: { category: pick(['roads', 'street_lights', 'sanitation']), text: `${pick(text)}（负载测试 ${++appealN}）` } })],
    ],
    heavy: [
      [3, () => ({ method: 'GET', path: `/api/v1/appeals/rates?from_ms=${yearAgo}&to_ms=${Date.now()}&group_by=village`, token: tokens.admin })],
      [2, () => ({ method: 'GET', path: `/api/v1/audit/export?from_ms=${Date.now() - 86400000}`, token: tokens.auditor })],
    ],
  };
}

function weighted(entries, rand) {
  const total = entries.reduce((s, [w]) => s + w, 0);
  let r = rand() * total;
  for (const [w, v] of entries) if ((r -= w) < 0) return v;
  return entries[entries.length - 1][1];
}

function send(agent, target, req, timeoutMs) {
  return new Promise((resolve) => {
    const body = req.body ? Buffer.from(JSON.stringify(req.body)) : null;
    const headers = { accept: 'application/json' };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    if (body) { headers['content-type'] = 'application/json'; headers['content-length'] = body.length; }
    const u = new URL(target);
    const r = http.request({ host: u.hostname, port: u.port, method: req.method, path: req.path, headers, agent, timeout: timeoutMs }, (res) => {
      let bytes = 0;
      res.on('data', (c) => { bytes += c.length; });
      res.on('end', () => resolve({ status: res.statusCode, bytes }));
      res.on('error', () => resolve({ status: 0, bytes }));
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', () => resolve({ status: 0, bytes: 0 }));
    if (body) r.write(body);
    r.end();
  });
}

// --- CPU and waits -------------------------------------------------------------------------------
const HZ = 100;  // USER_HZ on Linux
function cpuTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return +f[11] + +f[12];  // utime, stime (fields 14, 15)
  } catch { return 0; }
}
function childrenOf(ppid) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (+f[1] === ppid) out.push(+d);
    } catch { /* gone */ }
  }
  return out;
}
// PostgreSQL's backends come and go with connections; the pooled ones live through the run. The
// sum over the postmaster and its children at both ends; a backend that exited in between is
// missed (the pools keep theirs open, so that is rare), one that started counts from zero.
function pgTicks(postmaster) {
  if (!postmaster) return new Map();
  const m = new Map([[postmaster, cpuTicks(postmaster)]]);
  for (const c of childrenOf(postmaster)) m.set(c, cpuTicks(c));
  return m;
}
function pgDelta(before, after) {
  let t = 0;
  for (const [pid, ticks] of after) t += ticks - (before.get(pid) || 0);
  return t / HZ;
}

function sampleWaits(cfg, waits, stopAt) {
  if (!cfg.psql) return Promise.resolve();
  const sql = "SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-') FROM pg_stat_activity " +
    "WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()";
  return new Promise((resolve) => {
    const tick = () => {
      if (Date.now() >= stopAt) { resolve(); return; }
      const t = Date.now();
      execFile(cfg.psql, ['-X', '-At', '-d', cfg.pg_conninfo, '-c', sql], (err, stdout) => {
        if (!err) {
          waits.samples++;
          for (const line of stdout.split('\n').filter(Boolean)) waits.counts[line] = (waits.counts[line] || 0) + 1;
        }
        setTimeout(tick, Math.max(0, 100 - (Date.now() - t)));
      });
    };
    tick();
  });
}

function pct(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// --- run -----------------------------------------------------------------------------------------
async function run(cfgFile) {
  const cfg = JSON.parse(fs.readFileSync(cfgFile, 'utf8'));
  const tokens = JSON.parse(fs.readFileSync(cfg.tokens, 'utf8'));
  const rand = rng(cfg.seed || 7);
  const classes = mix(cfg, tokens, rand);
  const weights = cfg.mode === 'saturate' ? [[1, 'read']] : [[75, 'read'], [20, 'write'], [5, 'heavy']];
  // Open model: up to 64 connections per node (a request beyond waits at the client, and that wait
  // counts in its latency); saturation: `connections` in all.
  const agents = cfg.targets.map(() => new http.Agent({ keepAlive: true, maxSockets: cfg.mode === 'saturate' ? cfg.connections || 16 : 64 }));
  const timeoutMs = cfg.timeout_ms || 30000;
  let rr = 0;
  const next = () => {
    const cls = weighted(weights, rand);
    const i = rr++ % cfg.targets.length;
    return { cls, i, req: weighted(classes[cls], rand)() };
  };

  // Every request of the mix answers 2xx before anything is measured (a wrong token or path
  // would otherwise measure error pages).
  const probes = {};
  for (const cls of Object.keys(classes)) {
    for (const [, make] of classes[cls]) {
      const req = make();
      for (let i = 0; i < cfg.targets.length; i++) {
        const r = await send(agents[i], cfg.targets[i], req, timeoutMs);
        probes[`${req.method} ${req.path.split('?')[0].replace(/\d{6,}/g, '{code}')} @${i}`] = r.status;
      }
    }
  }
  const badProbes = Object.entries(probes).filter(([, s]) => s < 200 || s > 299);

  const stats = { read: [], write: [], heavy: [] };
  const errors = { read: {}, write: {}, heavy: {} };
  const perTarget = cfg.targets.map(() => ({ sent: 0, ok: 0 }));
  let measuring = false, sent = 0, completed = 0, dropped = 0, outstanding = 0;
  const record = (cls, i, t0, r) => {
    if (!measuring) return;
    completed++;
    const ms = performance.now() - t0;
    if (r.status >= 200 && r.status < 300) { stats[cls].push(ms); perTarget[i].ok++; }
    else errors[cls][r.status || 'connection'] = (errors[cls][r.status || 'connection'] || 0) + 1;
  };

  const warmupS = cfg.warmup_s ?? 5, seconds = cfg.seconds;
  let cpu0, pg0, wall0, waitsDone;
  const waits = { samples: 0, counts: {} };
  const beginMeasure = () => {
    measuring = true;
    cpu0 = cfg.server_pids.map(cpuTicks);
    pg0 = pgTicks(cfg.postmaster_pid);
    wall0 = performance.now();
    waitsDone = sampleWaits(cfg, waits, Date.now() + seconds * 1000);
  };

  if (cfg.mode === 'saturate') {
    const conns = cfg.connections || 16;
    const worker = async (stopAt) => {
      while (performance.now() < stopAt) {
        const { cls, i, req } = next();
        const t0 = performance.now();
        const r = await send(agents[i], cfg.targets[i], req, timeoutMs);
        if (measuring) { sent++; perTarget[i].sent++; }
        record(cls, i, t0, r);
      }
    };
    const warmEnd = performance.now() + warmupS * 1000;
    await Promise.all(Array.from({ length: conns }, () => worker(warmEnd)));
    beginMeasure();
    const end = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: conns }, () => worker(end)));
  } else {
    // Open model: the schedule is fixed in advance; a request that would exceed `max_outstanding`
    // in flight is counted as dropped (an overloaded server), never delayed.
    const maxOutstanding = cfg.max_outstanding || 512;
    const start = performance.now();
    const total = warmupS + seconds;
    const inflight = new Set();
    let t = 0;
    while (t < total) {
      t += -Math.log(1 - rand()) / cfg.rate;
      if (t >= total) break;
      const due = start + t * 1000;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (!measuring && t >= warmupS) beginMeasure();
      const { cls, i, req } = next();
      if (measuring) { sent++; perTarget[i].sent++; }
      if (outstanding >= maxOutstanding) { if (measuring) dropped++; continue; }
      outstanding++;
      const wasMeasuring = measuring;
      const p = send(agents[i], cfg.targets[i], req, timeoutMs).then((r) => {
        outstanding--;
        if (wasMeasuring) record(cls, i, due, r);
      });
      inflight.add(p);
      p.then(() => inflight.delete(p));
    }
    await Promise.all([...inflight]);
  }
  const wall = (performance.now() - wall0) / 1000;
  const cpu = cfg.server_pids.map((p, k) => (cpuTicks(p) - cpu0[k]) / HZ);
  const pgCpu = cfg.postmaster_pid ? pgDelta(pg0, pgTicks(cfg.postmaster_pid)) : null;
  await waitsDone;
  for (const a of agents) a.destroy();

  const classOut = {};
  let ok = 0;
  for (const cls of Object.keys(stats)) {
    const s = stats[cls].sort((a, b) => a - b);
    ok += s.length;
    const errs = Object.values(errors[cls]).reduce((a, b) => a + b, 0);
    if (!s.length && !errs) continue;
    classOut[cls] = { ok: s.length, errors: errs, error_statuses: errors[cls], p50_ms: pct(s, 50), p99_ms: pct(s, 99), max_ms: s.length ? s[s.length - 1] : null };
  }
  const all = Object.values(stats).flat().sort((a, b) => a - b);
  const out = {
    all: { ok: all.length, p50_ms: pct(all, 50), p99_ms: pct(all, 99), max_ms: all.length ? all[all.length - 1] : null },
    label: cfg.label, mode: cfg.mode || 'open', backend: cfg.backend, nodes: cfg.targets.length, offered_rps: cfg.rate || null,
    seconds: wall, sent, completed, ok, dropped, throughput_rps: ok / wall, classes: classOut, per_target: perTarget,
    server_cpu_s: cpu, server_cpu_per_s: cpu.reduce((a, b) => a + b, 0) / wall, pg_cpu_s: pgCpu,
    pg_cpu_per_s: pgCpu === null ? null : pgCpu / wall, waits, probes, bad_probes: badProbes,
  };
  console.log(JSON.stringify(out));
}

// --- report --------------------------------------------------------------------------------------
function report(work) {
  const load = (f) => (fs.existsSync(`${work}/${f}`) ? JSON.parse(fs.readFileSync(`${work}/${f}`, 'utf8')) : null);
  const gen = load('province-generate.json') || {};
  const runs = ['pg-1node', 'pg-2nodes', 'sqlite-county'].map((l) => load(`province-${l}.json`)).filter(Boolean);
  const sat = ['sqlite-county-reads-1', 'pg-county-reads-1', 'sqlite-county-reads-2', 'pg-county-reads-2']
    .map((l) => load(`province-${l}.json`)).filter(Boolean);
  // Each backend's better run (the runs alternate; the better one was the less disturbed).
  const best = (backend) => sat.filter((r) => r.backend === backend).sort((a, b) => b.throughput_rps - a.throughput_rps)[0];
  const by = Object.fromEntries([...runs, ...sat].map((r) => [r.label, r]));
  const n = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? '–' : Number(v).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  const lost = (r) => (r ? r.sent - r.ok : null);
  const o = ['## Province scale (issue #8)', ''];

  // Bars.
  const one = by['pg-1node'], two = by['pg-2nodes'];
  let bar1 = 'not measured', p99ratio = null;
  // p99 over all answered requests: the heavy class alone has too few samples in a short run for
  // its own p99 to be more than its maximum (the per-class figures are in the table).
  if (one && two && one.all && two.all && one.all.p99_ms > 0) {
    p99ratio = two.all.p99_ms / one.all.p99_ms;
    bar1 = lost(two) === 0 && p99ratio <= 1.5 ? 'PASS' : 'FAIL';
  }
  const sq = best('SQLite'), pgc = best('PostgreSQL');
  let bar2 = 'not measured', readRatio = null;
  if (sq && pgc && sq.throughput_rps > 0) {
    readRatio = pgc.throughput_rps / sq.throughput_rps;
    bar2 = readRatio >= 0.5 ? 'PASS' : 'FAIL';
  }
  o.push(`**Bar 1: two nodes lose nothing and keep p99 within 1.5× of one node at the same offered load: ${bar1}** (two nodes: ${n(lost(two))} requests not answered 2xx of ${n(two && two.sent)}; p99 of all requests two/one = ${p99ratio === null ? '–' : p99ratio.toFixed(2) + '×'})`, '');
  o.push(`**Bar 2: PostgreSQL on one county serves at least half the SQLite backend's read throughput: ${bar2}** (PostgreSQL / SQLite reads/s = ${readRatio === null ? '–' : (100 * readRatio).toFixed(0) + '%'}, each backend's better run of two)`, '');

  // Data.
  o.push('### The data', '');
  if (gen.only === 'county-reads') {
    o.push(`Only the read comparison (\`BENCH_PROVINCE_ONLY=county-reads\`): no province; the demo county on each backend as \`serve --demo\` makes it (${n(gen.residents)} residents in ${n(gen.households)} households), plus ${n(gen.county_appeals)} appeals of a year (\`gz_appeals_seed\`).`, '');
  } else {
  o.push(`Province ${gen.province || '–'}: ${n(gen.divisions)} divisions imported with \`gongzhi import-divisions --province\` (real NBS codes: ${n(gen.villages)} village-level units), ${n(gen.residents)} synthetic residents in ${n(gen.households)} households (the demo county's included), ${n(gen.appeals)} appeals over the last 365 days, ${n(gen.disclosures)} disclosures in ${n(gen.disclosure_villages)} villages (each in the transparency log).`, '');
  o.push('| step | rows | seconds | rows/s |', '|---|---:|---:|---:|');
  for (const s of gen.steps || []) o.push(`| ${s.step} | ${n(s.rows)} | ${n(s.seconds, 1)} | ${n(s.rows && s.seconds ? s.rows / s.seconds : null)} |`);
  o.push('', '| PostgreSQL | bytes | per million residents |', '|---|---:|---:|');
  const perM = (b) => (gen.residents ? b / (gen.residents / 1e6) : null);
  const mib = (b) => (b === undefined || b === null ? '–' : `${n(b / 1048576, 0)} MiB`);
  for (const [k, v] of Object.entries(gen.sizes || {})) o.push(`| ${k} | ${mib(v)} | ${mib(perM(v))} |`);
  o.push('');
  }

  // Mixed load.
  if (runs.length) {
  o.push('### Mixed load (75% reads, 20% writes, 5% heavy)', '');
  o.push('| setup | offered req/s | answered 2xx req/s | not 2xx / dropped | all p50 / p99 (ms) | read p50 / p99 (ms) | write p50 / p99 (ms) | heavy p50 / p99 (ms) | server CPU (cores) | PostgreSQL CPU (cores) |');
  o.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const cls = (r, c) => (r.classes[c] ? `${n(r.classes[c].p50_ms, 1)} / ${n(r.classes[c].p99_ms, 1)}` : '–');
  for (const r of runs) {
    const errs = Object.values(r.classes).reduce((a, c) => a + c.errors, 0);
    o.push(`| ${r.label} (${r.backend}, ${r.nodes} node${r.nodes > 1 ? 's' : ''}) | ${n(r.offered_rps)} | ${n(r.throughput_rps, 1)} | ${n(errs)} / ${n(r.dropped)} | ${r.all ? `${n(r.all.p50_ms, 1)} / ${n(r.all.p99_ms, 1)}` : '–'} | ${cls(r, 'read')} | ${cls(r, 'write')} | ${cls(r, 'heavy')} | ${r.server_cpu_s.map((c) => n(c / r.seconds, 2)).join(' + ')} | ${n(r.pg_cpu_per_s, 2)} |`);
  }
  o.push('');
  for (const r of runs) {
    const errs = Object.entries(r.classes).filter(([, c]) => c.errors).map(([k, c]) => `${k}: ${JSON.stringify(c.error_statuses)}`);
    if (errs.length) o.push(`Errors in ${r.label}: ${errs.join('; ')}.`, '');
    if (r.bad_probes.length) o.push(`Probes not answered 2xx in ${r.label}: ${r.bad_probes.map(([k, s]) => `${k} → ${s}`).join(', ')}.`, '');
  }
  }
  o.push('### Read throughput, one county (closed loop, reads only)', '');
  o.push('The read class alone, as fast as the server answers, on the demo county on each backend; the runs alternate (SQLite, PostgreSQL, SQLite, PostgreSQL) with both servers up, and the bar compares each backend\'s better run.', '');
  o.push('| run | backend | reads/s | p50 (ms) | p99 (ms) | errors | server CPU (cores) | PostgreSQL CPU (cores) |', '|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of sat) o.push(`| ${r.label} | ${r.backend} | ${n(r.throughput_rps, 1)} | ${n(r.classes.read && r.classes.read.p50_ms, 1)} | ${n(r.classes.read && r.classes.read.p99_ms, 1)} | ${n(r.classes.read && r.classes.read.errors)} | ${n(r.server_cpu_per_s, 2)} | ${n(r.pg_cpu_per_s, 2)} |`);
  o.push('');

  // Where the time goes.
  o.push('### Where the time goes', '');
  o.push('CPU in cores busy over the measured part (user + system time ÷ wall time), and what PostgreSQL\'s active client sessions were doing when sampled every 100 ms (`pg_stat_activity`; CPU:- = running, not waiting). Per request: CPU seconds ÷ requests answered.', '');
  o.push('| run | server CPU ms / request | PostgreSQL CPU ms / request | active sessions per sample | top waits (share of active samples) |', '|---|---:|---:|---:|---|');
  for (const r of [...runs, ...sat]) {
    const total = Object.values(r.waits.counts).reduce((a, b) => a + b, 0);
    const top = Object.entries(r.waits.counts).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${(100 * v / total).toFixed(0)}%`).join(', ');
    const srv = r.server_cpu_s.reduce((a, b) => a + b, 0);
    o.push(`| ${r.label} | ${n(r.ok ? 1000 * srv / r.ok : null, 2)} | ${n(r.pg_cpu_s !== null && r.ok ? 1000 * r.pg_cpu_s / r.ok : null, 2)} | ${r.waits.samples ? (total / r.waits.samples).toFixed(2) : '–'} | ${top || '–'} |`);
  }
  o.push('', `Machine: ${gen.machine || '–'}. ${gen.note || ''}`, '');
  o.push('The classes: **read** (75%) a village with its ancestors and a township\'s children anywhere in the province (public), a page of a demo-county village\'s residents and households (masked) and of its appeals as the county administrator; **write** (20%) a villager submits an appeal (201 after the commit); **heavy** (5%) the county\'s appeal rates over the year by village, and an audit export of the last day\'s records (as the auditor; the load\'s own reads of personal data are among them). Latency is measured from each request\'s scheduled start (open model: the offered load does not wait for answers). How to read it: bench/README.md, "Province scale".', '');
  fs.writeFileSync(`${work}/section-province.md`, o.join('\n'));
  fs.writeFileSync(`${work}/section-province.json`, JSON.stringify({ bars: { two_nodes: { verdict: bar1, p99_ratio: p99ratio, lost: lost(two) }, pg_reads: { verdict: bar2, ratio: readRatio } }, generate: gen, runs, saturation: sat }, null, 2) + '\n');
  console.log(`province: bar 1 (two nodes) ${bar1}; bar 2 (PostgreSQL reads ≥ 50% of SQLite) ${bar2}`);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'accounts') await accounts(+args[0], args[1], +args[2], +args[3]);
else if (cmd === 'run') await run(args[0]);
else if (cmd === 'report') report(args[0]);
else { console.error('usage: province_load.mjs accounts|run|report ...'); process.exit(2); }
