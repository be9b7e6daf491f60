// The throwaway PostgreSQL cluster of a ctest run, for the node test programs (apitest.mjs, the
// access matrix, the crash test, the browser tests). The cluster is the ctest fixture "postgres":
// `gz_pg_test_cluster start STATE_DIR` writes "<data dir> <port>" to STATE_DIR/cluster; the
// superuser is "gongzhi", trusted on loopback. A program given --postgres STATE_DIR runs its
// server with GONGZHI_DATABASE set to a database of its own.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

// The demo database, made once per run by api_pg.demo_template (fixture gz_demo_template_pg) beside
// the demo data folder whose keys sealed it; programs copy it with CREATE DATABASE ... TEMPLATE.
export const PG_TEMPLATE_DB = 'gz_demo_template';

export function readPgCluster(stateDir) {
  const text = fs.readFileSync(path.join(stateDir, 'cluster'), 'utf8').trim().split(/\s+/);
  if (text.length < 2) throw new Error(`no cluster recorded in ${stateDir}`);
  return { dir: text[0], port: parseInt(text[1], 10) };
}

export function pgUrl(cluster, db) {
  return `postgresql://gongzhi@127.0.0.1:${cluster.port}/${db}`;
}

// Runs one SQL statement on the cluster's "postgres" database with psql.
export function pgSql(cluster, sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'gongzhi', '-d', 'postgres', '-c', sql], { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr || r.error}`);
}

// A new database named after `label`: empty, or a copy of the demo database. Not dropped
// afterwards: DROP DATABASE forces a checkpoint, and the cluster goes away after the run.
export function pgDatabaseFor(cluster, label, demo) {
  const name = ('api_' + label.replace(/[^a-z0-9_]/gi, '_') + '_' + process.pid + '_' + Date.now().toString(36)).toLowerCase().slice(0, 63);
  pgSql(cluster, `CREATE DATABASE ${name}${demo ? ` TEMPLATE ${PG_TEMPLATE_DB}` : ''}`);
  return pgUrl(cluster, name);
}
