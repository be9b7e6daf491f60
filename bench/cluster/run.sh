#!/usr/bin/env bash
# The two-node kill test at length (issue #8): tests/cluster/two_nodes_kill.mjs against its own
# PostgreSQL cluster (the demo county imported by the first node), two nodes behind nginx from
# deploy/nginx/, more clients, more acknowledged appeals before the SIGKILL and a longer load after
# it than the ctest version. Writes WORK/section-cluster.md and .json (bench/README.md, "Two nodes,
# one killed"). Called by bench/run; runs alone too:
#
#   bench/cluster/run.sh BINARY WORK
#
# Environment: BENCH_CLUSTER_WRITERS (32), BENCH_CLUSTER_READERS (16), BENCH_CLUSTER_KILL_AFTER
# (2000 acknowledged appeals), BENCH_CLUSTER_AFTER_KILL (30 s), BENCH_CLUSTER_THREADS (16).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BIN=$(realpath "$1")
WORK=$(realpath "$2")
writers=${BENCH_CLUSTER_WRITERS:-32}
readers=${BENCH_CLUSTER_READERS:-16}
kill_after=${BENCH_CLUSTER_KILL_AFTER:-2000}
after_kill=${BENCH_CLUSTER_AFTER_KILL:-30}
threads=${BENCH_CLUSTER_THREADS:-16}
summary=$WORK/cluster-kill.json
rm -f "$summary"
set +e
node tests/cluster/two_nodes_kill.mjs --binary "$BIN" --work-dir "$WORK/cluster-kill" --writers "$writers" \
  --readers "$readers" --kill-after "$kill_after" --after-kill "$after_kill" --threads "$threads" \
  --villagers 32 --summary "$summary" | tee "$WORK/cluster-kill.log"
status=${PIPESTATUS[0]}
set -e
node - "$WORK" "$summary" "$status" "$writers" "$readers" "$kill_after" "$after_kill" "$threads" <<'JS'
const fs = require('fs');
const [work, file, status, writers, readers, killAfter, afterKill, threads] = process.argv.slice(2);
const s = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
const md = ['## Two nodes, one killed (issue #8)', '',
  `tests/cluster/two_nodes_kill.mjs at length: two \`gongzhi serve\` (${threads} threads each) on one PostgreSQL database ` +
  `behind nginx (deploy/nginx/), ${writers} clients submitting appeals with client ids and ${readers} reading, ` +
  `SIGKILL to one node after ${killAfter} acknowledged appeals, ${afterKill} s more load. ` +
  'Bar: no acknowledged appeal lost, no client id filed twice, failures after the kill ≤ max(3, 2%), ' +
  'and every unanswered write, sent again with its Idempotency-Key, acknowledged and filed exactly once.', ''];
if (!s) {
  md.push(`Did not run to the end (exit ${status}); see cluster-kill.log in the bench work folder.`);
} else {
  const row = (k, v) => md.push(`| ${k} | ${v} |`);
  md.push('| figure | value |', '|---|---|');
  row('load', `${s.load_seconds} s`);
  row('appeals acknowledged (of sent)', `${s.writes_acknowledged} (of ${s.writes_sent})`);
  row('acknowledged after the kill', s.writes_acknowledged_after_kill);
  row('reads ok (of made)', `${s.reads_ok} (of ${s.reads})`);
  row('writes in flight to the killed node that failed (of them committed anyway)', `${s.failed_in_flight_writes} (${s.failed_in_flight_writes_committed})`);
  if (s.unanswered_writes_sent_again !== undefined)
    row('unanswered writes sent again with their Idempotency-Key (of them replayed: the dead node had filed them)', `${s.unanswered_writes_sent_again} (${s.sent_again_replayed})`);
  row('reads in flight that failed', s.failed_in_flight_reads);
  row('requests after the kill that failed (of all after it)', `${s.failures_after_kill} (of ${s.requests_after_kill})`);
  row('acknowledged appeals lost', s.acknowledged_lost);
  row('client ids filed twice', s.duplicate_client_ids);
  row('submission p50 / p99 through nginx', `${s.write_p50_ms} / ${s.write_p99_ms} ms`);
  md.push('', `Result: ${status === '0' ? 'PASS' : 'FAIL'}.`);
}
fs.writeFileSync(`${work}/section-cluster.md`, md.join('\n') + '\n');
fs.writeFileSync(`${work}/section-cluster.json`, JSON.stringify({ exit: Number(status), summary: s }, null, 1) + '\n');
console.log(md.join('\n'));
JS
exit "$status"
