#!/usr/bin/env node
// The appeal scenario's helpers for bench/run (bench/README.md, "Appeals"). Node 18+, no packages.
//
//   node bench/appeals.mjs fsync DIR SECONDS
//       The disk's durable write rate in DIR (the store's folder): a loop of 4 KiB pwrite +
//       fdatasync, once appending (the file grows, as a fresh WAL does) and once overwriting the
//       first 1 MiB in turn (as SQLite reuses its WAL after a checkpoint). Prints
//       {"append_per_s":…,"overwrite_per_s":…}.
//   node bench/appeals.mjs villagers PORT COUNT FILE
//       Registers COUNT villagers of 成功村 as its demo cadre does, signs each in and writes their
//       bearer tokens to FILE, one a line (read by bench/appeal_submit.lua).
//   node bench/appeals.mjs rates PORT SERVER_PID FROM_MS TO_MS RUNS GROUP_BY...
//       Signs in as the demo county administrator and, for each GROUP_BY, times RUNS sequential
//       GET /api/v1/appeals/rates?from_ms&to_ms&group_by (after 2 unmeasured ones), measured at the
//       client over loopback: the whole HTTP request, the store's work and the JSON included; and
//       the server's CPU time per request over those runs. Prints one line per grouping:
//       {"group_by":…,"runs":…,"p50_ms":…,"p95_ms":…,"max_ms":…,"server_cpu_ms_per_request":…,
//       "groups":…,"submitted":…,"body_bytes":…}.
//   node bench/appeals.mjs report WORK N
//       Writes WORK/section-appeals.md and .json from what bench/run collected.
import fs from 'node:fs';
import path from 'node:path';
import { DEMO, createVillagers, expectStatus, request, signIn } from '../tests/support/gzclient.mjs';

function fsyncRate(dir, seconds, mode) {
  const file = path.join(dir, `bench-fsync-probe-${process.pid}`);
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(4096, 0x61);
  const slots = 256;
  try {
    if (mode === 'overwrite') {
      for (let i = 0; i < slots; i++) fs.writeSync(fd, block, 0, block.length, i * block.length);
      fs.fsyncSync(fd);
    }
    let n = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(Math.round(seconds * 1e9));
    let now = start;
    while (now < end) {
      const slot = mode === 'append' ? n : n % slots;
      fs.writeSync(fd, block, 0, block.length, slot * block.length);
      fs.fdatasyncSync(fd);
      n++;
      now = process.hrtime.bigint();
    }
    return n / (Number(now - start) / 1e9);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

// Writes WORK/section-appeals.md and .json (bench/run appends every section-*.md to its report)
// from the lines bench/run collected in WORK/appeals-submissions.jsonl and appeals-rates.jsonl.
function report(work, ratesAppeals) {
  const lines = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  const subs = lines(`${work}/appeals-submissions.jsonl`);
  const rates = lines(`${work}/appeals-rates.jsonl`);
  const n = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? '–' : Number(v).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  const out = ['## Appeals (issue #4)', ''];
  out.push('**Durable submissions**: `POST /api/v1/appeals` by 32 villagers through wrk (each 201 is sent only after the appeal\'s commit is on disk, `synchronous = FULL`), next to the disk\'s fsync rate measured in the same run, in the store\'s folder, just before the server started and just after it stopped (4 KiB write + fdatasync loops, appending and overwriting). The ratio divides by the FASTEST of those four rates, so a slow probe never flatters it.', '');
  out.push('| workers | submissions/s | fsync/s (fastest probe) | **submissions/s ÷ fsync/s** | writes per commit | server CPU per submission (ms) | p50 (ms) | p99 (ms) | non-2xx | socket errors |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const s of subs) {
    const probes = [s.fsync_before, s.fsync_after].filter(Boolean).flatMap((p) => [p.append_per_s, p.overwrite_per_s]);
    s.fsync_reference_per_s = probes.length ? Math.max(...probes) : null;
    s.ratio_to_fsync = s.fsync_reference_per_s ? s.rps / s.fsync_reference_per_s : null;
    s.writes_per_commit = s.commits > 0 ? s.committed_writes / s.commits : null;
    // The config log line gives "0 (default)" or "32 (flag)"; 0 means four per core, at least 8.
    const value = String(s.threads).split(' ')[0];
    const workers = value === '0' ? 'default (`--threads 0`: four per core, at least 8)' : `\`--threads ${value}\``;
    out.push(`| ${workers} | ${n(s.rps)} | ${n(s.fsync_reference_per_s)} | **${s.ratio_to_fsync === null ? '–' : s.ratio_to_fsync.toFixed(2)}** | ${s.writes_per_commit === null ? '–' : s.writes_per_commit.toFixed(2)} | ${n(s.cpu_ms_per_request, 3)} | ${n(s.p50_ms, 1)} | ${n(s.p99_ms, 1)} | ${n(s.non2xx)} | ${s.socket_errors || 'none'} |`);
  }
  for (const s of subs)
    out.push('', `fsync probes (${s.label}): before ${n(s.fsync_before && s.fsync_before.append_per_s)}/s appending, ${n(s.fsync_before && s.fsync_before.overwrite_per_s)}/s overwriting; after ${n(s.fsync_after && s.fsync_after.append_per_s)} / ${n(s.fsync_after && s.fsync_after.overwrite_per_s)}.`);
  out.push('', '"Writes per commit" is counted by the server (`gz_storage_committed_writes_total` ÷ `gz_storage_commits_total` on /metrics, over the measured run): every commit is one fsync of the WAL, so it is how many acknowledged writes one fsync carried (group commit, decision 0012; a submission is one write). Submissions/s can only pass the fsync rate when commits carry several writes AND the server core prepares submissions faster than the disk syncs; "server CPU per submission" (user + system time of the server over the run ÷ submissions) shows whether the core or the disk was the limit.', '');
  out.push(`**Rates of a county with ${n(+ratesAppeals)} appeals**: \`GET /api/v1/appeals/rates\` over the whole period, as the county administrator, one request at a time, timed at the client over loopback (the HTTP request, the store's scan, the computation and the JSON answer):`, '');
  out.push('| group_by | groups | appeals counted | p50 (ms) | **p95 (ms)** | max (ms) | server CPU per request (ms) | runs | body bytes | server peak RSS (MiB) |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rates) out.push(`| ${r.group_by} | ${n(r.groups)} | ${n(r.submitted)} | ${n(r.p50_ms, 1)} | **${n(r.p95_ms, 1)}** | ${n(r.max_ms, 1)} | ${n(r.server_cpu_ms_per_request)} | ${n(r.runs)} | ${n(r.body_bytes)} | ${n(r.peak_rss_mib, 1)} |`);
  if (rates.length)
    out.push('', `Store: ${n(rates[0].db_bytes / 1048576)} MiB (loaded by gz_appeals_seed in ${n(rates[0].load_seconds)} s, once, and reused by later runs). Server: 1 worker, pinned as in the load scenarios; its peak RSS is read once all four groupings have run. "Server CPU per request" is its user + system time over the runs ÷ runs: when the wall time is much longer, the server waited for a core (other work on the machine), not for the store.`);
  out.push('');
  fs.writeFileSync(`${work}/section-appeals.md`, out.join('\n'));
  fs.writeFileSync(`${work}/section-appeals.json`, JSON.stringify({ submissions: subs, rates }, null, 2) + '\n');
  for (const s of subs)
    console.log(`bench: appeals (${s.label}): ${n(s.rps)} submissions/s ÷ ${n(s.fsync_reference_per_s)} fsync/s = ${s.ratio_to_fsync === null ? '–' : s.ratio_to_fsync.toFixed(2)}; ${s.writes_per_commit === null ? '–' : s.writes_per_commit.toFixed(2)} writes per commit`);
  for (const r of rates) console.log(`bench: appeals rates (${r.group_by}, ${n(r.submitted)} appeals): p95 ${n(r.p95_ms, 1)} ms`);
  if (subs.length === 0 || rates.length === 0) process.exit(1);
}

// Nearest rank, as docs/metrics.md defines percentiles: a real run's time.
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

const [command, ...args] = process.argv.slice(2);
if (command === 'fsync') {
  const [dir, seconds] = args;
  const s = Number(seconds) || 2;
  const out = { append_per_s: fsyncRate(dir, s, 'append'), overwrite_per_s: fsyncRate(dir, s, 'overwrite') };
  console.log(JSON.stringify(out));
} else if (command === 'villagers') {
  const [port, count, file] = args;
  const cadre = await signIn(Number(port), DEMO.cadre.phone, undefined, DEMO.cadre.totp);
  const villagers = await createVillagers(Number(port), cadre.token, Number(count));
  fs.writeFileSync(file, villagers.map((v) => v.token).join('\n') + '\n');
} else if (command === 'rates') {
  const [portText, pidText, from, to, runsText, ...groupings] = args;
  const port = Number(portText);
  const runs = Number(runsText);
  // The server's user + system CPU time (/proc/PID/stat, in clock ticks of 10 ms on Linux): on a
  // machine shared with other work the wall time includes waiting for a core; this does not.
  const cpuMs = () => {
    const f = fs.readFileSync(`/proc/${pidText}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  // One sign-in for every grouping: the server accepts each TOTP step of a secret only once.
  const admin = await signIn(port, DEMO.countyAdmin.phone, undefined, DEMO.countyAdmin.totp);
  for (const groupBy of groupings) {
    const target = `/api/v1/appeals/rates?from_ms=${from}&to_ms=${to}&group_by=${groupBy}`;
    const times = [];
    let last;
    let cpu0 = 0;
    for (let i = 0; i < runs + 2; i++) {
      if (i === 2) cpu0 = cpuMs();
      const t0 = process.hrtime.bigint();
      last = await expectStatus(request(port, 'GET', target, { token: admin.token, timeoutMs: 600000 }), 200, `GET ${target}`);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= 2) times.push(ms);
    }
    const cpuPerRequest = (cpuMs() - cpu0) / runs;
    times.sort((a, b) => a - b);
    const items = last.json.items;
    console.log(JSON.stringify({
      group_by: groupBy, runs, p50_ms: percentile(times, 50), p95_ms: percentile(times, 95), max_ms: times[times.length - 1],
      server_cpu_ms_per_request: cpuPerRequest, groups: items.length, submitted: items.reduce((n, g) => n + g.submitted, 0),
      body_bytes: Buffer.byteLength(last.body),
    }));
  }
} else if (command === 'report') {
  report(...args);
} else {
  console.error('usage: node bench/appeals.mjs fsync DIR SECONDS | villagers PORT COUNT FILE | rates PORT PID FROM TO RUNS GROUP_BY... | report WORK N');
  process.exit(2);
}
