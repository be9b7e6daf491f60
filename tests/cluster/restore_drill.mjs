#!/usr/bin/env node
// The restore drill of deploy/backup/ against a real cluster (issue #8, "backup and restore ...
// with a restore drill script that verifies the transparency log root after restore"):
//
//   1. a node on its own PostgreSQL cluster (tests/cluster/cluster.mjs) with WAL archiving through
//      deploy/backup/archive-wal.sh; disclosures published, so the transparency log has entries;
//   2. backups: pg-dump.sh and basebackup.sh, each recording the log's checkpoint (--node);
//   3. more is published afterwards, so the live log moves past the backups;
//   4. restore-drill.sh --require-equal on the dump and on the base backup: each restores into a
//      fresh cluster, starts gongzhi on it and must find exactly the backup-time root;
//      restore-drill.sh on the base backup with --wal-archive (point-in-time recovery to the end
//      of the archive) must find the later log, which extends the backed-up checkpoint;
//   5. negative control: the dump against a checkpoint recorded AFTER it (a log that lost
//      entries) must make the drill fail;
//   6. with --sqlite-template (the API tests' demo folder): the same for sqlite-backup.sh.
//
// Usage: node tests/cluster/restore_drill.mjs --binary build/gongzhi --work-dir DIR
//          [--demo-template DIR --seed-from PG_STATE_DIR] [--sqlite-template DIR] [--timeout-factor F] [--keep]
//          [--entries N] [--appeals N] [--summary FILE.json]
// --entries (default 2) log entries and --appeals (default 0) appeals filed before the backups:
// make test keeps the drill short; bench/cluster/restore.sh runs it at length and --summary
// records how long each backup and each restore took and how big they were.
// The cluster is its own (its WAL archive and base backups hold nothing else); with
// --demo-template and --seed-from (the api_pg fixtures) its database is a copy of the shared
// cluster's demo database, otherwise the node imports the demo county itself (minutes).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createVillagers, expectStatus, request, signIn, sleep } from '../support/gzclient.mjs';
import { Cluster, REPO_ROOT, freePort, tail } from './cluster.mjs';

const BACKUP = path.join(REPO_ROOT, 'deploy', 'backup');
const CADRE = { phone: '15400000005', totp: 'BA6F6HYRX5NUM6HR56R2PKPFKAODECZT' };
const SUPERVISOR = { phone: '15400000006', totp: 'SNKZXYFVAMQIORAVELN5HSVDZNGBELLN' };
const PG_USER = process.env.GZ_TEST_POSTGRES_USER || 'nobody';
const IS_ROOT = process.getuid && process.getuid() === 0;

function parseArgs(argv) {
  const o = { timeoutFactor: 1, keep: false, entries: 2, appeals: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i];
    if (a === '--binary') o.binary = path.resolve(val());
    else if (a === '--work-dir') o.workDir = path.resolve(val());
    else if (a === '--sqlite-template') o.sqliteTemplate = path.resolve(val());
    else if (a === '--demo-template') o.demoTemplateDir = path.resolve(val());
    else if (a === '--seed-from') o.seedPostgresStateDir = path.resolve(val());
    else if (a === '--timeout-factor') o.timeoutFactor = Number(val());
    else if (a === '--keep') o.keep = true;
    else if (a === '--entries') o.entries = Number(val());
    else if (a === '--appeals') o.appeals = Number(val());
    else if (a === '--summary') o.summary = path.resolve(val());
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.binary || !o.workDir) throw new Error('--binary and --work-dir are required');
  return o;
}

// Runs a deploy/backup script; resolves { code, out, err }.
function script(name, args, env = {}) {
  return new Promise((resolve) => {
    const p = spawn('bash', [path.join(BACKUP, name), ...args], {
      env: { ...process.env, PG_RUN_AS: PG_USER, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}

async function mustRun(name, args, env) {
  const r = await script(name, args, env);
  if (r.code !== 0) throw new Error(`${name} ${args.join(' ')} exited ${r.code}:\n${r.err}${r.out}`);
  return r;
}

// Drafts and publishes one resolution (the cadre drafts, the supervisor publishes the preview):
// one more entry in the transparency log.
async function publish(port, tokens, title) {
  const draft = await expectStatus(request(port, 'POST', '/api/v1/disclosure/items', {
    token: tokens.cadre, body: { village: '420114001205', kind: 'resolution', period: '2026-03', title, text: `${title}：经村民代表会议表决通过` },
  }), 201, 'draft a disclosure');
  const preview = await expectStatus(request(port, 'GET', `/api/v1/disclosure/items/${draft.json.id}/preview`, { token: tokens.supervisor }), 200, 'preview');
  await expectStatus(request(port, 'POST', `/api/v1/disclosure/items/${draft.json.id}/publish`, {
    token: tokens.supervisor,
    body: { entry_sha256: preview.headers['x-entry-sha256'], published_at_ms: Number(preview.headers['x-published-at-ms']) },
  }), 200, 'publish');
}

// The signed checkpoint's size once the signer has caught up (it signs ~200 ms after appends).
async function settledCheckpoint(port) {
  let last = null;
  for (let i = 0; i < 100; i++) {
    const res = await request(port, 'GET', '/tlog/checkpoint');
    if (res.status === 200) {
      if (last !== null && res.body === last) return res.body.split('\n').slice(0, 3).join(' ');
      last = res.body;
    }
    await sleep(600);
  }
  throw new Error('the checkpoint did not settle');
}

async function tokens(port) {
  const cadre = await signIn(port, CADRE.phone, undefined, CADRE.totp);
  const supervisor = await signIn(port, SUPERVISOR.phone, undefined, SUPERVISOR.totp);
  return { cadre: cadre.token, supervisor: supervisor.token };
}

const seconds = (since) => Number(((Date.now() - since) / 1000).toFixed(1));

function folderBytes(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? folderBytes(p) : fs.statSync(p).size;
  }
  return total;
}

// Files `count` appeals for villagers the cadre registers (16 at a time, 8 in parallel), so the
// backups carry a county's worth of rows, not only the demo's. Answers how many were filed.
async function fileAppeals(port, cadreToken, count) {
  const villagers = await createVillagers(port, cadreToken, 16, { phoneBase: 40000 + (process.pid % 1000) * 20 });
  let next = 0;
  let filed = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const v = villagers[n % villagers.length];
      const res = await request(port, 'POST', '/api/v1/appeals', {
        token: v.token, body: { category: 'street_lights', text: `恢复演练 第${n}件：路灯不亮` }, timeoutMs: 30000,
      });
      if (res.status !== 201) throw new Error(`filing appeal ${n} answered ${res.status}: ${res.body.slice(0, 200)}`);
      filed++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return filed;
}

function lastLine(text) {
  return text.trim().split('\n').pop();
}

async function main(o) {
  fs.rmSync(o.workDir, { recursive: true, force: true });
  fs.mkdirSync(o.workDir, { recursive: true });
  const problems = [];
  const summary = { drills: [] };
  const walDir = path.join(o.workDir, 'wal');
  fs.mkdirSync(walDir);
  if (IS_ROOT) spawnSync('chown', [PG_USER, walDir]);
  const backups = path.join(o.workDir, 'backups');
  fs.mkdirSync(backups);
  const cluster = new Cluster({
    binary: o.binary, workDir: path.join(o.workDir, 'cluster'), nodes: 1, timeoutFactor: o.timeoutFactor,
    demoTemplateDir: o.demoTemplateDir, seedPostgresStateDir: o.seedPostgresStateDir,
    nodeArgs: ['--sign-in-per-minute', '1000'],
    pgConf: ['archive_mode=on', `archive_command='/bin/bash ${path.join(BACKUP, 'archive-wal.sh')} %p %f ${walDir}'`],
  });
  const env = { GONGZHI_BIN: o.binary };
  try {
    const t0 = Date.now();
    await cluster.start();
    const front = cluster.nginxPort;
    const url = `http://127.0.0.1:${front}`;
    console.log(`  cluster with the demo county up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const tk = await tokens(front);
    let t = Date.now();
    for (let i = 0; i < o.entries; i++) await publish(front, tk, i % 2 ? '保洁决议' : '修路决议');
    summary.entries_published = o.entries;
    summary.publish_seconds = seconds(t);
    if (o.appeals > 0) {
      t = Date.now();
      summary.appeals_filed = await fileAppeals(front, tk.cadre, o.appeals);
      summary.appeals_seconds = seconds(t);
    }
    const atBackup = await settledCheckpoint(front);
    summary.database_bytes = Number(cluster.psql(`SELECT pg_database_size('${cluster.dbName}')`).trim());

    const keys = path.join(cluster.nodes[0].dataDir, 'keys');
    t = Date.now();
    const dump = lastLine((await mustRun('pg-dump.sh', [backups, '--node', url, '--keys', keys], { ...env, GONGZHI_DATABASE: cluster.databaseUrl })).out);
    summary.dump_seconds = seconds(t);
    summary.dump_bytes = folderBytes(dump);
    t = Date.now();
    const base = lastLine((await mustRun('basebackup.sh', [backups, '--pg', `host=127.0.0.1 port=${cluster.pg.port} user=gongzhi`, '--node', url, '--keys', keys], env)).out);
    summary.base_backup_seconds = seconds(t);
    summary.base_backup_bytes = folderBytes(base);
    const recorded = fs.readFileSync(path.join(dump, 'tlog-checkpoint.txt'), 'utf8').trim();
    console.log(`  backups taken at ${recorded}`);

    await publish(front, tk, '路灯决议');
    const later = await settledCheckpoint(front);
    if (later === atBackup) throw new Error('the log did not move after the backup: the drill could not tell the two apart');
    // The later state, recorded like a backup would (the negative control uses it).
    const laterState = path.join(o.workDir, 'later');
    fs.mkdirSync(laterState);
    spawnSync(o.binary, ['verify', '--url', url, '--state', path.join(laterState, 'tlog-state')], { encoding: 'utf8' });
    // Archive the WAL holding the later publication, for the point-in-time recovery.
    const switched = cluster.psql('SELECT pg_walfile_name(pg_switch_wal())').trim();
    for (let i = 0; ; i++) {
      const archived = cluster.psql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").trim();
      if (archived && archived >= switched) break;
      if (i > 300) throw new Error(`WAL ${switched} was not archived (last: ${archived || 'none'})`);
      await sleep(100);
    }

    const drill = async (label, backup, extra, expectOk, expectLine) => {
      const work = path.join(o.workDir, `drill-${label}`);
      const started = Date.now();
      const r = await script('restore-drill.sh', [backup, '--work', work, '--pg-port', String(await freePort()), '--node-port', String(await freePort()), ...extra], env);
      summary.drills.push({ label, seconds: seconds(started), exit: r.code, must_pass: expectOk });
      const last = lastLine(r.out || '');
      if (expectOk && r.code !== 0) problems.push(`drill ${label} failed (exit ${r.code}):\n${r.err}${r.out}`);
      else if (!expectOk && r.code === 0) problems.push(`drill ${label} passed but must fail: ${last}`);
      else if (expectOk && expectLine && !last.includes(expectLine)) problems.push(`drill ${label}: expected "${expectLine}" in: ${last}`);
      else console.log(`  drill ${label}: ${expectOk ? last : `fails as it must: ${(r.err.split('\n').find((l) => l.includes('FAILED')) || lastLine(r.err)).trim()}`}`);
    };
    const sizeRoot = recorded.replace(/^checkpoint: /, '');
    await drill('dump', dump, ['--require-equal'], true, `exactly the backed-up one (${sizeRoot})`);
    const dbName = ['--db-name', cluster.dbName];
    await drill('base', base, [...dbName, '--require-equal'], true, `exactly the backed-up one (${sizeRoot})`);
    // Replaying the archive reaches the later publication: exactly the live log's checkpoint.
    const [laterOrigin, laterSize, laterRoot] = later.split(' ');
    await drill('base+wal', base, [...dbName, '--wal-archive', walDir], true, `extends the backed-up checkpoint (${laterOrigin}, ${laterSize} entries, root ${laterRoot} `);
    // Negative control: the dump does not hold what was published after it.
    const tampered = path.join(o.workDir, 'dump-vs-later');
    fs.cpSync(dump, tampered, { recursive: true });
    fs.copyFileSync(path.join(laterState, 'tlog-state'), path.join(tampered, 'tlog-state'));
    spawnSync('bash', ['-c', 'sha256sum -- gongzhi.dump keys.tar tlog-* > SHA256SUMS'], { cwd: tampered });
    await drill('dump-against-later-checkpoint', tampered, [], false);

    if (o.sqliteTemplate) {
      const dataDir = path.join(o.workDir, 'sqlite-node');
      fs.cpSync(o.sqliteTemplate, dataDir, { recursive: true });
      fs.rmSync(path.join(dataDir, '.apitest-template'), { force: true });
      const port = await freePort();
      const node = spawn(o.binary, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, '--sign-in-per-minute', '1000'], { cwd: REPO_ROOT, stdio: 'ignore' });
      try {
        for (let i = 0; ; i++) {
          const ok = await request(port, 'GET', '/readyz').then((r) => r.status === 200, () => false);
          if (ok) break;
          if (i > 600) throw new Error('the SQLite node did not get ready');
          await sleep(100);
        }
        const t = await tokens(port);
        await publish(port, t, '水利决议');
        await settledCheckpoint(port);
        const sq = lastLine((await mustRun('sqlite-backup.sh', [backups, '--data-dir', dataDir, '--node', `http://127.0.0.1:${port}`], env)).out);
        await publish(port, t, '绿化决议');
        const rec = fs.readFileSync(path.join(sq, 'tlog-checkpoint.txt'), 'utf8').trim().replace(/^checkpoint: /, '');
        await drill('sqlite', sq, ['--require-equal'], true, `exactly the backed-up one (${rec})`);
      } finally {
        node.kill('SIGTERM');
      }
    }
  } catch (e) {
    problems.push(e.stack || String(e));
  }
  await cluster.stop().catch((e) => problems.push(`stopping the cluster: ${e.message}`));
  summary.problems = problems.length;
  if (o.summary) fs.writeFileSync(o.summary, JSON.stringify(summary, null, 2) + '\n');
  if (problems.length) {
    console.log(`FAIL cluster.restore_drill\n  ${problems.join('\n  ')}`);
    for (const n of cluster.nodes) console.log(`  node log (tail):\n${tail(n.log, 10)}`);
    console.log(`  work folder kept: ${o.workDir}`);
    process.exit(1);
  }
  console.log('ok cluster.restore_drill: dump, base backup and SQLite restored with the backup-time log root; PITR extends it; a later root is refused');
  if (!o.keep) fs.rmSync(o.workDir, { recursive: true, force: true });
}

await main(parseArgs(process.argv.slice(2)));
