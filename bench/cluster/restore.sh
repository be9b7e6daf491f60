#!/usr/bin/env bash
# The restore drill at length (issue #8): tests/cluster/restore_drill.mjs on its own PostgreSQL
# cluster with WAL archiving, after more log entries and a county's worth of appeals than the
# ctest version: pg_dump, base backup, base backup + WAL replay (point in time) and the negative
# control, each restored into a fresh cluster and served, the log root checked. Writes
# WORK/section-restore.md and .json (bench/README.md, "Backup and restore drill"). Called by
# bench/run; runs alone too:
#
#   bench/cluster/restore.sh BINARY WORK
#
# Environment: BENCH_RESTORE_ENTRIES (300 log entries), BENCH_RESTORE_APPEALS (20000 appeals).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BIN=$(realpath "$1")
WORK=$(realpath "$2")
entries=${BENCH_RESTORE_ENTRIES:-300}
appeals=${BENCH_RESTORE_APPEALS:-20000}
summary=$WORK/restore-drill.json
rm -f "$summary"
set +e
node tests/cluster/restore_drill.mjs --binary "$BIN" --work-dir "$WORK/restore-drill" --entries "$entries" \
  --appeals "$appeals" --summary "$summary" | tee "$WORK/restore-drill.log"
status=${PIPESTATUS[0]}
set -e
node - "$WORK" "$summary" "$status" <<'JS'
const fs = require('fs');
const [work, file, status] = process.argv.slice(2);
const s = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
const md = ['## Backup and restore drill (issue #8)', '',
  'tests/cluster/restore_drill.mjs at length: one node on its own PostgreSQL cluster with WAL archiving ' +
  '(deploy/backup/archive-wal.sh), the demo county plus the log entries and appeals below, then ' +
  'deploy/backup/pg-dump.sh and basebackup.sh; deploy/backup/restore-drill.sh restores each into a fresh ' +
  'cluster, serves it and checks the transparency log root (the dump and the base backup: exactly the ' +
  'backed-up root; base backup + WAL: the later log, extending it; the dump against a later checkpoint ' +
  'must fail).', ''];
if (!s) {
  md.push(`Did not run to the end (exit ${status}); see restore-drill.log in the bench work folder.`);
} else {
  md.push('| figure | value |', '|---|---|');
  md.push(`| log entries published before the backups | ${s.entries_published} (${s.publish_seconds} s) |`);
  if (s.appeals_filed !== undefined) md.push(`| appeals filed before the backups | ${s.appeals_filed} (${s.appeals_seconds} s) |`);
  md.push(`| database size | ${mib(s.database_bytes)} |`);
  md.push(`| pg_dump (custom format, with keys and checkpoint) | ${s.dump_seconds} s, ${mib(s.dump_bytes)} |`);
  md.push(`| base backup (tar, with keys and checkpoint) | ${s.base_backup_seconds} s, ${mib(s.base_backup_bytes)} |`);
  for (const d of s.drills) md.push(`| restore drill \`${d.label}\` (restore, serve, check the root) | ${d.seconds} s, ${d.must_pass ? (d.exit === 0 ? 'passed' : 'FAILED') : (d.exit !== 0 ? 'failed as it must' : 'PASSED but must fail')} |`);
  md.push('', `Result: ${status === '0' ? 'PASS' : 'FAIL'}.`);
}
fs.writeFileSync(`${work}/section-restore.md`, md.join('\n') + '\n');
fs.writeFileSync(`${work}/section-restore.json`, JSON.stringify({ exit: Number(status), summary: s }, null, 1) + '\n');
console.log(md.join('\n'));
JS
exit "$status"
