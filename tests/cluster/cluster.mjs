#!/usr/bin/env node
// A gongzhi cluster on loopback: PostgreSQL 15, N `gongzhi serve` nodes on one database, and nginx
// in front of them configured from deploy/nginx/ (the upstream block of gongzhi.conf with its
// parameters, and gongzhi-locations.conf as it is). For the two-node kill test
// (tests/cluster/two_nodes_kill.mjs), the restore drill test, `make bench` and anyone who needs
// "a small production" on one machine.
//
// As a command:
//   node tests/cluster/cluster.mjs start --binary build/gongzhi --work-dir DIR [options]
//       starts everything, writes DIR/cluster.json (below), prints it, and exits leaving the
//       processes running (nginx and the nodes are detached; their logs are in DIR).
//   node tests/cluster/cluster.mjs stop --work-dir DIR
//       SIGTERM to the nodes (then SIGKILL after 20 s), nginx quits, an own PostgreSQL stops.
//   Options of start:
//     --nodes N               gongzhi nodes (default 2)
//     --postgres STATE_DIR    use the cluster recorded by `gz_pg_test_cluster start STATE_DIR`
//                             (ctest fixture "postgres"); default: start an own one in DIR/pg
//     --pg-conf k=v           extra postgresql.conf setting of an own cluster (repeatable)
//     --demo-template DIR     the api_pg demo template folder (tests/CMakeLists.txt,
//                             GZ_APITEST_TEMPLATE_PG): the database is a copy of the cluster's
//                             database gz_demo_template and the nodes get DIR's keys/. Default:
//                             node 1 runs `serve --demo` on an empty database first (minutes).
//     --seed-from STATE_DIR   with --demo-template and an own cluster: copy gz_demo_template
//                             from the cluster recorded in STATE_DIR (pg_dump | pg_restore)
//     --nginx-dir DIR         gongzhi.conf and gongzhi-locations.conf from DIR instead of deploy/nginx/
//     --threads N             worker threads per node (default 8)
//     --node-arg ARG          extra argument for every `gongzhi serve` (repeatable)
//     --timeout-factor F      slower machines / sanitizer builds
//   DIR/cluster.json: { "database_url", "nginx": {"port", "pid"}, "nodes": [{"port", "pid",
//     "data_dir", "log"}], "postgres": {"port", "own", "dir"}, "work_dir" }.
//
// As a module (what the tests use): `const c = new Cluster(opts); await c.start();` then
// c.nginxPort, c.nodes[i].port, c.databaseUrl, `await c.killNode(i, 'SIGKILL')`,
// `await c.startNode(i)` (same port and data folder), `c.psql(sql)`, `await c.stop()`.
// Options are those above in camelCase: { binary, workDir, nodes, postgresStateDir, pgConf: [],
// demoTemplateDir, seedPostgresStateDir, nginxDir, threads, nodeArgs: [], nodeEnv: {}, timeoutFactor, detached }.
//
// PostgreSQL and nginx refuse or drop root: when run as root (ctest here), PostgreSQL runs as
// GZ_TEST_POSTGRES_USER (default nobody) through runuser, and nginx's workers as nobody; the work
// folder is made traversable for them. Binaries: GZ_POSTGRES_BINDIR (/usr/lib/postgresql/15/bin),
// GZ_NGINX (nginx on PATH, /usr/sbin/nginx).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PG_BINDIR = process.env.GZ_POSTGRES_BINDIR || '/usr/lib/postgresql/15/bin';
const PG_USER = process.env.GZ_TEST_POSTGRES_USER || 'nobody';
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
export const PG_TEMPLATE_DB = 'gz_demo_template'; // the api_pg demo database (tests/support/apitest.mjs)

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd, args, { asPg = false, timeoutMs = 120000, env } = {}) {
  const argv = asPg && IS_ROOT ? ['runuser', '-u', PG_USER, '--', cmd, ...args] : [cmd, ...args];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || '') + (r.stdout || '') || r.error}`);
  return r.stdout;
}

function findNginx() {
  if (process.env.GZ_NGINX) return process.env.GZ_NGINX;
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (fs.existsSync(p)) return p;
  return 'nginx';
}

// Every folder from `dir` up to / must be traversable by the unprivileged users (mkdtemp makes 0700).
function openUp(dir) {
  if (!IS_ROOT) return;
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const st = fs.statSync(d);
    if ((st.mode & 0o001) === 0) fs.chmodSync(d, st.mode | 0o011);
  }
}

// The nginx configuration the tests run: the upstream of deploy/nginx/gongzhi.conf with its node
// lines replaced (the parameters of its first node line kept), and a plain-HTTP loopback server
// that includes deploy/nginx/gongzhi-locations.conf unchanged.
export function nginxConfig({ nodePorts, listenPort, dir, deployDir = path.join(REPO_ROOT, 'deploy', 'nginx') }) {
  const site = fs.readFileSync(path.join(deployDir, 'gongzhi.conf'), 'utf8');
  const m = site.match(/upstream gongzhi \{[\s\S]*?\n\}/);
  if (!m) throw new Error('deploy/nginx/gongzhi.conf has no "upstream gongzhi { ... }" block');
  const nodes = m[0].match(/# @nodes-begin\n([\s\S]*?)\s*# @nodes-end/);
  if (!nodes) throw new Error('deploy/nginx/gongzhi.conf: no @nodes-begin/@nodes-end markers in the upstream');
  const first = nodes[1].split('\n').map((l) => l.trim()).find((l) => l.startsWith('server '));
  const params = first.replace(/^server\s+\S+\s*/, '').replace(/;\s*$/, '');
  const lines = nodePorts.map((p) => `    server 127.0.0.1:${p} ${params};`).join('\n');
  const upstream = m[0].replace(nodes[0], `# @nodes-begin\n${lines}\n    # @nodes-end`);
  const q = (p) => JSON.stringify(p);
  return `# Generated by tests/cluster/cluster.mjs from deploy/nginx/gongzhi.conf; do not edit.
worker_processes 1;
daemon off;
pid ${q(path.join(dir, 'nginx.pid'))};
error_log ${q(path.join(dir, 'error.log'))} warn;
${IS_ROOT ? 'user nobody nogroup;' : ''}
events { worker_connections 1024; }
http {
  default_type application/octet-stream;
  log_format gz '$msec $request_method $uri $status $upstream_addr $upstream_status $request_time';
  access_log ${q(path.join(dir, 'access.log'))} gz;
  client_body_temp_path ${q(path.join(dir, 'client_body'))};
  proxy_temp_path ${q(path.join(dir, 'proxy'))};
  fastcgi_temp_path ${q(path.join(dir, 'fastcgi'))};
  uwsgi_temp_path ${q(path.join(dir, 'uwsgi'))};
  scgi_temp_path ${q(path.join(dir, 'scgi'))};
${upstream}
  server {
    listen 127.0.0.1:${listenPort};
    include ${q(path.join(deployDir, 'gongzhi-locations.conf'))};
  }
}
`;
}

// A `gongzhi serve` process: resolves once it logs "listening".
function spawnNode({ binary, dataDir, port, args, env, logFile, detached, timeoutMs }) {
  const argv = [binary, 'serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, ...args];
  const out = fs.openSync(logFile, 'a');
  const proc = spawn(argv[0], argv.slice(1), {
    cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', detached ? out : 'pipe'], detached,
  });
  const node = { proc, pid: proc.pid, port, dataDir, log: logFile, logLines: [], exit: null, listening: false };
  node.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve((node.exit = { code, signal }))));
  node.kill = (signal) => {
    if (!node.exit) proc.kill(signal);
    return node.exited;
  };
  if (!detached) {
    let partial = '';
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d) => {
      fs.appendFileSync(out, d);
      partial += d;
      let nl;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        node.logLines.push(line);
        if (line.includes('"event":"listening"')) node.listening = true;
      }
    });
  }
  return (async () => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (node.exit) throw new Error(`node on port ${port} exited before listening: ${JSON.stringify(node.exit)}\n${tail(logFile)}`);
      if (node.listening || (detached && fs.readFileSync(logFile, 'utf8').includes('"event":"listening"'))) return node;
      if (Date.now() > deadline) throw new Error(`node on port ${port}: not listening within ${timeoutMs} ms\n${tail(logFile)}`);
      await sleep(25);
    }
  })();
}

export function tail(file, n = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

export class Cluster {
  constructor(o) {
    this.o = { nodes: 2, threads: 8, nodeArgs: [], nodeEnv: {}, pgConf: [], timeoutFactor: 1, detached: false, ...o };
    if (!this.o.binary || !this.o.workDir) throw new Error('Cluster: binary and workDir are required');
    this.workDir = path.resolve(this.o.workDir);
    this.nodes = [];
    this.nginx = null;
    this.pg = null;
  }

  psql(sql, db = 'postgres') {
    return run('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(this.pg.port), '-U', 'gongzhi', '-d', db, '-c', sql]);
  }

  async startPostgres() {
    if (this.o.postgresStateDir) {
      const [dir, port] = fs.readFileSync(path.join(this.o.postgresStateDir, 'cluster'), 'utf8').trim().split(/\s+/);
      this.pg = { own: false, dir, port: Number(port) };
      return;
    }
    const dir = path.join(this.workDir, 'pg');
    fs.mkdirSync(dir, { recursive: true });
    openUp(dir);
    if (IS_ROOT) run('chown', [PG_USER, dir]);
    const port = await freePort();
    run(path.join(PG_BINDIR, 'initdb'), ['-D', path.join(dir, 'data'), '-U', 'gongzhi', '--auth=trust', '--no-locale', '-E', 'UTF8', '--no-instructions'], { asPg: true });
    const conf = [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, 'max_connections = 200', ...this.o.pgConf.map((kv) => kv.replace('=', ' = '))];
    fs.appendFileSync(path.join(dir, 'data', 'postgresql.conf'), `\n# tests/cluster/cluster.mjs\n${conf.join('\n')}\n`);
    run(path.join(PG_BINDIR, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start'], { asPg: true });
    this.pg = { own: true, dir, port };
  }

  nodeEnv() {
    return { GONGZHI_DATABASE: this.databaseUrl, GONGZHI_APPEAL_MAX_OPEN: '10000', ...this.o.nodeEnv };
  }

  nodeArgs() {
    // nginx on loopback is the proxy: believe its X-Forwarded-For, as deploy/systemd/gongzhi.env.example says.
    return ['--threads', String(this.o.threads), '--trusted-proxies', '127.0.0.1,::1', ...this.o.nodeArgs];
  }

  async startNode(i) {
    const n = this.nodes[i];
    const started = await spawnNode({
      binary: this.o.binary, dataDir: n.dataDir, port: n.port, args: this.nodeArgs(), env: this.nodeEnv(),
      logFile: n.log, detached: this.o.detached, timeoutMs: 120000 * this.o.timeoutFactor,
    });
    Object.assign(n, started);
    return n;
  }

  async killNode(i, signal = 'SIGKILL') {
    return this.nodes[i].kill(signal);
  }

  async start() {
    fs.mkdirSync(this.workDir, { recursive: true });
    await this.startPostgres();
    const db = `gz_cluster_${process.pid}_${Date.now().toString(36)}`;
    // Copying a template fails while another session is connected to it (a parallel test copying
    // it too): try again for a while.
    const copyTemplate = this.o.demoTemplateDir && !this.pg.own;
    for (let attempt = 0; ; attempt++) {
      try {
        this.psql(`CREATE DATABASE ${db}${copyTemplate ? ` TEMPLATE ${PG_TEMPLATE_DB}` : ''}`);
        break;
      } catch (e) {
        if (attempt >= 40 || !/being accessed by other users/.test(e.message)) throw e;
        await sleep(250);
      }
    }
    this.dbName = db;
    if (this.o.demoTemplateDir && this.pg.own) {
      // An own cluster (its WAL and base backups are the test's alone) with the demo county of
      // the shared one: its template database copied over (seconds, where `serve --demo` on
      // PostgreSQL takes minutes).
      if (!this.o.seedPostgresStateDir) throw new Error('an own cluster with demoTemplateDir needs seedPostgresStateDir');
      const [, seedPort] = fs.readFileSync(path.join(this.o.seedPostgresStateDir, 'cluster'), 'utf8').trim().split(/\s+/);
      run('bash', ['-o', 'pipefail', '-c',
        `pg_dump -Fc -h 127.0.0.1 -p ${Number(seedPort)} -U gongzhi -d ${PG_TEMPLATE_DB} | pg_restore --exit-on-error --no-owner -h 127.0.0.1 -p ${this.pg.port} -U gongzhi -d ${db}`]);
    }
    this.databaseUrl = `postgresql://gongzhi@127.0.0.1:${this.pg.port}/${db}`;
    for (let i = 0; i < this.o.nodes; i++) {
      const dataDir = path.join(this.workDir, `node-${i + 1}`);
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      this.nodes.push({ port: await freePort(), dataDir, log: path.join(this.workDir, `node-${i + 1}.log`) });
    }
    // The county's keys (tlog signing key, field cipher keys) must be the same on every node.
    let keysFrom;
    if (this.o.demoTemplateDir) {
      keysFrom = path.join(this.o.demoTemplateDir, 'keys');
    } else {
      // First start on an empty database: node 1 imports the demo county and makes the keys.
      const first = await spawnNode({
        binary: this.o.binary, dataDir: this.nodes[0].dataDir, port: this.nodes[0].port, args: [...this.nodeArgs(), '--demo'],
        env: this.nodeEnv(), logFile: this.nodes[0].log, detached: false, timeoutMs: 600000 * this.o.timeoutFactor,
      });
      const exit = await first.kill('SIGTERM');
      if (exit.code !== 0) throw new Error(`serve --demo did not stop cleanly: ${JSON.stringify(exit)}\n${tail(this.nodes[0].log)}`);
      keysFrom = path.join(this.nodes[0].dataDir, 'keys');
    }
    for (const n of this.nodes) {
      const to = path.join(n.dataDir, 'keys');
      if (path.resolve(to) !== path.resolve(keysFrom)) fs.cpSync(keysFrom, to, { recursive: true });
    }
    // Migrations run at every start; the first node migrates, the others find it done.
    for (let i = 0; i < this.nodes.length; i++) await this.startNode(i);
    await this.startNginx();
    this.save();
    return this;
  }

  async startNginx() {
    const dir = path.join(this.workDir, 'nginx');
    fs.mkdirSync(dir, { recursive: true });
    openUp(dir);
    const port = await freePort();
    const conf = path.join(dir, 'nginx.conf');
    fs.writeFileSync(conf, nginxConfig({ nodePorts: this.nodes.map((n) => n.port), listenPort: port, dir, ...(this.o.nginxDir ? { deployDir: this.o.nginxDir } : {}) }));
    const nginx = findNginx();
    run(nginx, ['-t', '-q', '-e', path.join(dir, 'error.log'), '-p', dir, '-c', conf]);
    const proc = spawn(nginx, ['-e', path.join(dir, 'error.log'), '-p', dir, '-c', conf], { stdio: 'ignore', detached: this.o.detached });
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.nginx = { proc, pid: proc.pid, port, dir, exited, exit: null };
    exited.then((e) => (this.nginx.exit = e));
    const deadline = Date.now() + 20000 * this.o.timeoutFactor;
    for (;;) {
      if (this.nginx.exit) throw new Error(`nginx exited: ${JSON.stringify(this.nginx.exit)}\n${tail(path.join(dir, 'error.log'))}`);
      const ok = await new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
        s.on('error', () => resolve(false));
      });
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`nginx does not listen on ${port}\n${tail(path.join(dir, 'error.log'))}`);
      await sleep(25);
    }
  }

  get nginxPort() {
    return this.nginx.port;
  }

  save() {
    const state = {
      work_dir: this.workDir,
      database_url: this.databaseUrl,
      database: this.dbName,
      postgres: { port: this.pg.port, own: this.pg.own, dir: this.pg.dir },
      nginx: { port: this.nginx.port, pid: this.nginx.pid, dir: this.nginx.dir },
      nodes: this.nodes.map((n) => ({ port: n.port, pid: n.pid, data_dir: n.dataDir, log: n.log })),
    };
    fs.writeFileSync(path.join(this.workDir, 'cluster.json'), JSON.stringify(state, null, 2) + '\n');
    return state;
  }

  // Stops what this object started. Nodes: SIGTERM (clean stop, exit 0 expected); returns their exits.
  async stop({ dropDatabase = true } = {}) {
    const exits = [];
    for (const n of this.nodes) {
      if (!n.proc) continue;
      const t = setTimeout(() => n.kill('SIGKILL'), 20000 * this.o.timeoutFactor);
      exits.push(await n.kill('SIGTERM'));
      clearTimeout(t);
    }
    if (this.nginx && !this.nginx.exit) {
      this.nginx.proc.kill('SIGQUIT');
      await this.nginx.exited;
    }
    if (this.pg && this.pg.own) {
      run(path.join(PG_BINDIR, 'pg_ctl'), ['-D', path.join(this.pg.dir, 'data'), '-m', 'fast', '-w', 'stop'], { asPg: true });
    } else if (this.pg && dropDatabase && this.dbName) {
      try {
        this.psql(`DROP DATABASE IF EXISTS ${this.dbName}`);
      } catch {
        // the shared cluster goes away after the ctest run anyway
      }
    }
    return exits;
  }
}

// Stops a cluster started by `cluster.mjs start` (from its cluster.json).
export async function stopRecorded(workDir) {
  const state = JSON.parse(fs.readFileSync(path.join(workDir, 'cluster.json'), 'utf8'));
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const n of state.nodes) if (alive(n.pid)) process.kill(n.pid, 'SIGTERM');
  const deadline = Date.now() + 20000;
  while (state.nodes.some((n) => alive(n.pid)) && Date.now() < deadline) await sleep(100);
  for (const n of state.nodes) if (alive(n.pid)) process.kill(n.pid, 'SIGKILL');
  if (alive(state.nginx.pid)) process.kill(state.nginx.pid, 'SIGQUIT');
  if (state.postgres.own)
    run(path.join(PG_BINDIR, 'pg_ctl'), ['-D', path.join(state.postgres.dir, 'data'), '-m', 'fast', '-w', 'stop'], { asPg: true });
}

function parseArgs(argv) {
  const o = { command: argv[0], nodeArgs: [], pgConf: [] };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i];
    if (a === '--binary') o.binary = path.resolve(val());
    else if (a === '--work-dir') o.workDir = path.resolve(val());
    else if (a === '--nodes') o.nodes = Number(val());
    else if (a === '--postgres') o.postgresStateDir = path.resolve(val());
    else if (a === '--pg-conf') o.pgConf.push(val());
    else if (a === '--demo-template') o.demoTemplateDir = path.resolve(val());
    else if (a === '--seed-from') o.seedPostgresStateDir = path.resolve(val());
    else if (a === '--threads') o.threads = Number(val());
    else if (a === '--nginx-dir') o.nginxDir = path.resolve(val());
    else if (a === '--node-arg') o.nodeArgs.push(val());
    else if (a === '--timeout-factor') o.timeoutFactor = Number(val());
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const o = parseArgs(process.argv.slice(2));
  if (o.command === 'start') {
    const c = new Cluster({ ...o, detached: true });
    try {
      await c.start();
    } catch (e) {
      console.error(`cluster start failed: ${e.stack || e}`);
      await c.stop().catch(() => {});
      process.exit(1);
    }
    console.log(JSON.stringify(c.save(), null, 2));
    for (const n of c.nodes) n.proc.unref();
    c.nginx.proc.unref();
    process.exit(0);
  } else if (o.command === 'stop') {
    await stopRecorded(o.workDir);
  } else {
    console.error('usage: cluster.mjs start|stop --work-dir DIR [...] (see the top of this file)');
    process.exit(2);
  }
}
