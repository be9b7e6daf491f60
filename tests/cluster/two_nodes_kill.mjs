#!/usr/bin/env node
// Two nodes behind nginx, one killed mid-load (issue #8, "Several nodes"):
//
//   1. tests/cluster/cluster.mjs starts two `gongzhi serve` on one PostgreSQL database behind nginx
//      configured from deploy/nginx/ (loopback ports);
//   2. through nginx: the cadre registers villagers, then WRITERS clients submit appeals
//      (POST /api/v1/appeals), each carrying a client id of its own in its text, and READERS
//      clients read acknowledged appeals back and public pages; after KILL_AFTER acknowledged
//      appeals one node gets SIGKILL, and the load goes on for --after-kill seconds;
//   3. checks, reading through the surviving node directly (not through nginx):
//      - every appeal whose 201 (with an id) a client received is there, with its text, category
//        and submitter;
//      - no client id is filed twice (nginx must not replay a POST that reached the dead node):
//        every appeal of the test's villagers is read, and each client id appears at most once,
//        and only for a submission that was sent;
//      - requests that were in flight to the dead node may fail: they are counted and none of them
//        was acknowledged; of the requests started after the kill at most
//        max(3, 2%) fail, and at least one write and one read after the kill succeeded;
//      - every write carries an Idempotency-Key, so a client that got no answer may send it again:
//        each unacknowledged write is sent once more (through the survivor, same key) and must be
//        acknowledged; one the dead node had committed comes back as that appeal
//        (Idempotent-Replayed), so afterwards every write sent is filed exactly once;
//      - the surviving node answers /readyz and stops cleanly on SIGTERM (exit 0, no error lines).
//
// Usage: node tests/cluster/two_nodes_kill.mjs --binary build/gongzhi --work-dir DIR
//          [--postgres STATE_DIR] [--demo-template DIR] [--writers 16] [--readers 8]
//          [--kill-after 150] [--after-kill 5] [--villagers 8] [--threads 8] [--kill-node 0]
//          [--timeout-factor F] [--summary FILE.json] [--keep] [--nginx-dir DIR]
// --nginx-dir runs another nginx configuration (a copy of deploy/nginx/): with
// `proxy_next_upstream error timeout non_idempotent` for writes, a run finds client ids filed twice
// (the check's negative control, by hand: a kill does not always catch a committed POST in flight).
// ctest runs it short (tests/CMakeLists.txt); bench/run runs it longer (BENCH_CLUSTER_KILL=1).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { DEMO, createVillagers, expectStatus, request, signIn, sleep } from '../support/gzclient.mjs';
import { Cluster, tail } from './cluster.mjs';

function parseArgs(argv) {
  const o = { writers: 16, readers: 8, killAfter: 150, afterKill: 5, villagers: 8, threads: 8, killNode: 0, timeoutFactor: 1, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i];
    if (a === '--binary') o.binary = path.resolve(val());
    else if (a === '--work-dir') o.workDir = path.resolve(val());
    else if (a === '--postgres') o.postgresStateDir = path.resolve(val());
    else if (a === '--demo-template') o.demoTemplateDir = path.resolve(val());
    else if (a === '--writers') o.writers = Number(val());
    else if (a === '--readers') o.readers = Number(val());
    else if (a === '--kill-after') o.killAfter = Number(val());
    else if (a === '--after-kill') o.afterKill = Number(val());
    else if (a === '--villagers') o.villagers = Number(val());
    else if (a === '--threads') o.threads = Number(val());
    else if (a === '--kill-node') o.killNode = Number(val());
    else if (a === '--nginx-dir') o.nginxDir = path.resolve(val());
    else if (a === '--timeout-factor') o.timeoutFactor = Number(val());
    else if (a === '--summary') o.summary = path.resolve(val());
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.binary || !o.workDir) throw new Error('--binary and --work-dir are required');
  return o;
}

const CATEGORIES = ['street_lights', 'water_supply', 'roads', 'sanitation', 'power_supply', 'elderly_care'];
const CLIENT_ID = /\[cid:([0-9a-f]{24})\]/;

function percentile(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(o) {
  fs.rmSync(o.workDir, { recursive: true, force: true });
  const cluster = new Cluster({
    binary: o.binary, workDir: o.workDir, nodes: 2, postgresStateDir: o.postgresStateDir, demoTemplateDir: o.demoTemplateDir,
    threads: o.threads, nodeArgs: ['--sign-in-per-minute', '1000'], timeoutFactor: o.timeoutFactor, nginxDir: o.nginxDir,
  });
  const problems = [];
  const t0 = Date.now();
  try {
    await cluster.start();
    const front = cluster.nginxPort;
    console.log(`  cluster up in ${((Date.now() - t0) / 1000).toFixed(1)} s: nginx :${front}, nodes :${cluster.nodes.map((n) => n.port).join(', :')}`);
    const cadre = await signIn(front, DEMO.cadre.phone, undefined, DEMO.cadre.totp);
    const villagers = await createVillagers(front, cadre.token, o.villagers, { phoneBase: 30000 + (process.pid % 1000) * 10 });

    // --- Load ---
    const sent = new Map(); // client id → { villager, text, category, start, end, status, id, error }
    const reads = [];
    const acked = [];
    let killAt = null;
    let stopAt = Infinity;
    const agent = new http.Agent({ keepAlive: true, maxSockets: o.writers + o.readers });
    const timeoutMs = 20000 * o.timeoutFactor;
    const writer = async (w) => {
      for (let n = 0; Date.now() < stopAt; n++) {
        const v = villagers[(w + n) % villagers.length];
        const cid = crypto.randomBytes(12).toString('hex');
        const category = CATEGORIES[(w + n) % CATEGORIES.length];
        const text = `两节点测试 写者${w} 第${n}件 [cid:${cid}] 路灯不亮`;
        const rec = { cid, villager: v, text, category, start: Date.now(), end: 0, status: 0, id: null, error: null };
        sent.set(cid, rec);
        try {
          const res = await request(front, 'POST', '/api/v1/appeals', {
            token: v.token, body: { category, text }, agent, timeoutMs, headers: { 'Idempotency-Key': `kill-${cid}` },
          });
          rec.status = res.status;
          if (res.status === 201 && res.json && res.json.id) {
            rec.id = String(res.json.id);
            acked.push(rec);
          } else rec.error = `${res.status} ${res.body.slice(0, 200)}`;
        } catch (e) {
          rec.error = e.message;
        }
        rec.end = Date.now();
      }
    };
    const reader = async (r) => {
      for (let n = 0; Date.now() < stopAt; n++) {
        const rec = { start: Date.now(), end: 0, ok: false, what: '' };
        try {
          let res;
          if (acked.length && n % 2 === 0) {
            const a = acked[crypto.randomInt(acked.length)];
            rec.what = 'appeal';
            res = await request(front, 'GET', `/api/v1/appeals/${a.id}`, { token: a.villager.token, agent, timeoutMs });
            rec.ok = res.status === 200 && res.json && res.json.content && res.json.content.text === a.text;
          } else {
            rec.what = 'division';
            res = await request(front, 'GET', '/api/v1/divisions/420114001205', { agent, timeoutMs });
            rec.ok = res.status === 200;
          }
          rec.status = res.status;
        } catch (e) {
          rec.error = e.message;
        }
        rec.end = Date.now();
        reads.push(rec);
      }
    };
    const clients = [...Array.from({ length: o.writers }, (_, w) => writer(w)), ...Array.from({ length: o.readers }, (_, r) => reader(r))];
    const loadStart = Date.now();
    const deadline = Date.now() + 120000 * o.timeoutFactor;
    while (acked.length < o.killAfter) {
      if (Date.now() > deadline) throw new Error(`only ${acked.length} appeals acknowledged within ${120 * o.timeoutFactor} s`);
      for (const n of cluster.nodes) if (n.exit) throw new Error(`node :${n.port} died by itself: ${JSON.stringify(n.exit)}\n${tail(n.log)}`);
      await sleep(5);
    }
    const victim = cluster.nodes[o.killNode];
    const survivor = cluster.nodes[1 - o.killNode];
    killAt = Date.now();
    const killExit = await cluster.killNode(o.killNode, 'SIGKILL');
    const killedAt = Date.now();
    if (killExit.signal !== 'SIGKILL') problems.push(`the node was not killed by SIGKILL: ${JSON.stringify(killExit)}`);
    stopAt = killedAt + o.afterKill * 1000;
    await Promise.all(clients);
    agent.destroy();
    const loadSeconds = (Date.now() - loadStart) / 1000;

    // --- Accounting ---
    const writes = [...sent.values()];
    const inFlight = (r) => r.start <= killedAt && r.end >= killAt;
    const failedInFlight = writes.filter((r) => !r.id && inFlight(r));
    const failedReadsInFlight = reads.filter((r) => !r.ok && inFlight(r));
    const afterKillWrites = writes.filter((r) => r.start > killedAt);
    const afterKillReads = reads.filter((r) => r.start > killedAt);
    const afterKillFailures = [...afterKillWrites.filter((r) => !r.id), ...afterKillReads.filter((r) => !r.ok)];
    const afterKillTotal = afterKillWrites.length + afterKillReads.length;
    const beforeKillFailures = [...writes.filter((r) => !r.id && r.end < killAt), ...reads.filter((r) => !r.ok && r.end < killAt)];
    if (beforeKillFailures.length)
      problems.push(`${beforeKillFailures.length} request(s) failed before the kill, e.g. ${beforeKillFailures[0].error || beforeKillFailures[0].status}`);
    const allowed = Math.max(3, Math.floor(afterKillTotal * 0.02));
    if (afterKillFailures.length > allowed)
      problems.push(`${afterKillFailures.length} of ${afterKillTotal} requests started after the kill failed (allowed ${allowed}), e.g. ${afterKillFailures.slice(0, 3).map((r) => r.error || r.status).join(' | ')}`);
    if (!afterKillWrites.some((r) => r.id)) problems.push('no write was acknowledged after the kill: the surviving node did not keep serving');
    if (!afterKillReads.some((r) => r.ok)) problems.push('no read succeeded after the kill');
    // Nothing in flight is counted as acknowledged: a client only records an id from a 201.
    if (failedInFlight.some((r) => r.id)) problems.push('a failed in-flight write carries an id');

    // --- A client that got no answer sends the same write again, with the same key ---
    const unanswered = writes.filter((r) => !r.id);
    const acknowledgedFirstTime = acked.length;
    let retriedReplayed = 0;
    for (const r of unanswered) {
      const res = await request(survivor.port, 'POST', '/api/v1/appeals', {
        token: r.villager.token, body: { category: r.category, text: r.text }, timeoutMs, headers: { 'Idempotency-Key': `kill-${r.cid}` },
      });
      if (res.status !== 201 || !res.json || !res.json.id) {
        problems.push(`an unanswered write sent again with its key answered ${res.status}: ${res.body.slice(0, 200)}`);
        continue;
      }
      r.id = String(res.json.id);
      r.retried = true;
      r.replayed = res.headers['idempotent-replayed'] === 'true';
      if (r.replayed) retriedReplayed++;
      acked.push(r);
    }

    // --- Every acknowledged appeal is there; no client id twice (read through the survivor) ---
    let lost = 0;
    const wrong = [];
    for (const a of acked) {
      const res = await request(survivor.port, 'GET', `/api/v1/appeals/${a.id}`, { token: a.villager.token, timeoutMs });
      if (res.status === 404) {
        lost++;
        continue;
      }
      if (res.status !== 200) throw new Error(`GET /api/v1/appeals/${a.id} on the survivor answered ${res.status}: ${res.body.slice(0, 300)}`);
      if (res.json.content.text !== a.text || res.json.category !== a.category || res.json.submitter_account !== a.villager.accountId) wrong.push(a.id);
    }
    if (lost) problems.push(`${lost} of ${acked.length} acknowledged appeals are missing`);
    if (wrong.length) problems.push(`acknowledged appeals read back different: ${wrong.slice(0, 10).join(', ')}`);
    const probe = await request(survivor.port, 'GET', `/api/v1/appeals/${acked[0].id}9`, { token: acked[0].villager.token });
    if (probe.status !== 404) problems.push(`an unknown appeal id answered ${probe.status}, not 404: the loss check cannot see losses`);

    const seen = new Map(); // client id → appeal ids
    let stored = 0;
    for (const v of villagers) {
      let before = null;
      for (let page = 0; page < 1000; page++) {
        const q = `/api/v1/appeals?limit=100${before ? `&before_id=${before}` : ''}`;
        const res = await expectStatus(request(survivor.port, 'GET', q, { token: v.token, timeoutMs }), 200, `list the appeals of ${v.phone}`);
        const items = res.json.items || [];
        for (const item of items) {
          stored++;
          const one = await expectStatus(request(survivor.port, 'GET', `/api/v1/appeals/${item.id}`, { token: v.token, timeoutMs }), 200, `read appeal ${item.id}`);
          const m = CLIENT_ID.exec(one.json.content.text || '');
          if (!m) continue;
          if (!seen.has(m[1])) seen.set(m[1], []);
          seen.get(m[1]).push(String(item.id));
        }
        before = res.json.next_before_id;
        if (!before) break;
      }
    }
    const duplicates = [...seen.entries()].filter(([, ids]) => ids.length > 1);
    const unknown = [...seen.keys()].filter((cid) => !sent.has(cid));
    if (duplicates.length) problems.push(`${duplicates.length} client id(s) filed more than once: ${duplicates.slice(0, 5).map(([c, ids]) => `${c} → ${ids.join(',')}`).join('; ')}`);
    if (unknown.length) problems.push(`${unknown.length} stored appeal(s) carry a client id nobody sent`);
    for (const a of acked) if (!(seen.get(a.cid) || []).includes(a.id)) problems.push(`acknowledged appeal ${a.id} (client id ${a.cid}) is not in its submitter's list`);
    // Failed in-flight writes may or may not have committed (the node died after COMMIT, before the
    // answer left); sent again with their keys, those that had committed were replayed, not filed
    // twice (the duplicate check above), and every write sent is now filed.
    const committedUnacked = failedInFlight.filter((r) => r.replayed).length;
    const notFiled = writes.filter((r) => !seen.has(r.cid));
    if (notFiled.length) problems.push(`${notFiled.length} write(s) sent are not filed even after sending them again, e.g. client id ${notFiled[0].cid}`);
    if (stored < acked.length) problems.push(`the villagers' lists hold ${stored} appeals, fewer than the ${acked.length} acknowledged`);

    // --- The survivor is healthy and stops cleanly ---
    const ready = await request(survivor.port, 'GET', '/readyz');
    if (ready.status !== 200) problems.push(`/readyz on the survivor answered ${ready.status}: ${ready.body}`);
    const exits = await cluster.stop();
    const survivorExit = survivor.exit || exits[1 - o.killNode];
    if (!survivorExit || survivorExit.code !== 0) problems.push(`the surviving node did not exit 0 on SIGTERM: ${JSON.stringify(survivorExit)}`);
    for (const line of survivor.logLines)
      if (line.includes('"level":"error"') || /AddressSanitizer|LeakSanitizer|runtime error:/.test(line)) problems.push(`survivor log: ${line.slice(0, 300)}`);
    for (const line of victim.logLines)
      if (/AddressSanitizer|LeakSanitizer|runtime error:/.test(line)) problems.push(`killed node log: ${line.slice(0, 300)}`);

    const lat = acked.map((r) => r.end - r.start).sort((a, b) => a - b);
    const summary = {
      load_seconds: Number(loadSeconds.toFixed(1)),
      writers: o.writers,
      readers: o.readers,
      writes_sent: writes.length,
      writes_acknowledged: acknowledgedFirstTime,
      writes_acknowledged_after_kill: afterKillWrites.filter((r) => r.id && !r.retried).length,
      reads: reads.length,
      reads_ok: reads.filter((r) => r.ok).length,
      failed_in_flight_writes: failedInFlight.length,
      failed_in_flight_writes_committed: committedUnacked,
      unanswered_writes_sent_again: unanswered.length,
      sent_again_replayed: retriedReplayed,
      failed_in_flight_reads: failedReadsInFlight.length,
      requests_after_kill: afterKillTotal,
      failures_after_kill: afterKillFailures.length,
      acknowledged_lost: lost,
      duplicate_client_ids: duplicates.length,
      write_p50_ms: percentile(lat, 50),
      write_p99_ms: percentile(lat, 99),
      problems: problems.length,
    };
    console.log(`  ${JSON.stringify(summary)}`);
    if (o.summary) fs.writeFileSync(o.summary, JSON.stringify(summary, null, 2) + '\n');
  } catch (e) {
    problems.push(e.stack || String(e));
    await cluster.stop().catch(() => {});
  }
  if (problems.length) {
    console.log(`FAIL cluster.two_nodes_kill\n  ${problems.join('\n  ')}`);
    for (const n of cluster.nodes) console.log(`  node :${n.port} log (tail):\n${tail(n.log, 10)}`);
    if (cluster.nginx) console.log(`  nginx error log (tail):\n${tail(path.join(cluster.nginx.dir, 'error.log'), 10)}`);
    console.log(`  work folder kept: ${o.workDir}`);
    process.exit(1);
  }
  console.log('ok cluster.two_nodes_kill: no acknowledged write lost, no client id twice, the other node kept serving');
  if (!o.keep) fs.rmSync(o.workDir, { recursive: true, force: true });
}

await main(parseArgs(process.argv.slice(2)));
