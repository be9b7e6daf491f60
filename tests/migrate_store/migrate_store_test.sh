#!/usr/bin/env bash
# `gongzhi migrate-store` end to end (issue #8): a demo county on SQLite with an appeal and a
# published disclosure item (seed.apitest) is moved to a new database on the test PostgreSQL
# cluster; the report must say every table is equal and the log has the same root; the binary then
# serves the PostgreSQL database with the same data dir, and over HTTP the appeal reads exactly as
# it did on SQLite and the disclosure item's inclusion proof verifies against the root signed on
# SQLite (`gongzhi verify --url` with the state saved from the SQLite server).
# Refusals and negative controls: a source table the migrations do not create, a target that is
# not empty, a source that does not exist, a target that cannot be reached, one corrupted row on
# the target (--verify-only must fail, then pass again once the row is put back), an older source.
#
# Usage: migrate_store_test.sh GONGZHI NODE APITEST_RUNNER REPO TEMPLATE_DIR PG_STATE_DIR WORK_DIR [TIMEOUT_FACTOR]
set -euo pipefail
bin=${1:?usage}; node=${2:?usage}; runner=${3:?usage}; repo=${4:?usage}; template=${5:?usage}
pg_state=${6:?usage}; work=${7:?usage}; factor=${8:-1}
rm -rf "$work"
mkdir -p "$work"
fails=0
server=""
cleanup() { if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; }
trap cleanup EXIT
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

read -r _ pg_port < "$pg_state/cluster"
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U gongzhi -d postgres -c "$1"; }
new_db() {
  local name="migstore_$1_$$_$(date +%s%N | tail -c 7)"
  psql_admin "CREATE DATABASE $name" >/dev/null
  echo "postgresql://gongzhi@127.0.0.1:$pg_port/$name"
}
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -At "$1" -c "$2"; }
# JSON from the shell with the Node the API tests already need: jget '.a[0].b' prints one value,
# jsort prints the document with sorted keys (for byte comparisons).
jget() { "$node" -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>{let v=JSON.parse(d);for(const k of process.argv[1].split(/[.\[\]]+/).filter(Boolean))v=v==null?v:v[k];console.log(v==null?"null":typeof v=="object"?JSON.stringify(v):v)})' "$1"; }
jsort() { "$node" -e 'const s=v=>Array.isArray(v)?v.map(s):v&&typeof v=="object"?Object.fromEntries(Object.keys(v).sort().map(k=>[k,s(v[k])])):v;let d="";process.stdin.on("data",c=>d+=c).on("end",()=>console.log(JSON.stringify(s(JSON.parse(d)),null,1)))'; }

# ---- a county on SQLite with data in it ----
"$node" "$runner" --binary "$bin" --cwd "$repo" --template-dir "$template" --work-dir "$work/seed" --keep --timeout-factor "$factor" \
  "$repo/tests/migrate_store/seed.apitest" > "$work/seed.log" 2>&1 || { cat "$work/seed.log"; fail "seeding"; exit 1; }
data="$work/seed/seed"
[ -f "$data/gongzhi.db" ] || { fail "the seed left no data folder at $data"; exit 1; }

start_server() {  # start_server LOG [--database URL]
  local log=$1; shift
  "$bin" serve --listen 127.0.0.1:0 --data-dir "$data" "$@" 2>"$log" >/dev/null &
  server=$!
  port=""
  for _ in $(seq 1 600); do
    port=$(sed -n 's/.*"event":"listening".*"port":\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.2
  done
  if [ -z "$port" ]; then fail "the server did not start ($log)"; tail -n 20 "$log"; exit 1; fi
}
stop_server() { kill -TERM "$server"; wait "$server" || true; server=""; }
token() {
  curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/sign-in" -H 'Content-Type: application/json' \
    -d '{"phone":"15400000001","password":"gongzhi-demo-2026","client":"bearer"}' | jget .token
}
# What a villager and the public see: the appeal (decrypted content), the disclosure item.
snapshot() {  # snapshot OUT_PREFIX
  local t; t=$(token)
  appeal_id=$(curl -sf "http://127.0.0.1:$port/api/v1/appeals" -H "Authorization: Bearer $t" | jget '.items[0].id')
  curl -sf "http://127.0.0.1:$port/api/v1/appeals/$appeal_id" -H "Authorization: Bearer $t" | jsort > "$1.appeal.json"
  item_id=$(curl -sf "http://127.0.0.1:$port/api/v1/disclosure/items?village=420114001205&kind=finance_statement" | jget '.items[0].id')
  curl -sf "http://127.0.0.1:$port/api/v1/disclosure/items/$item_id" | jsort > "$1.item.json"
  curl -sf "http://127.0.0.1:$port/api/v1/disclosure/items/$item_id/entry" > "$1.entry"
}

key=$("$bin" tlog verifier-key --data-dir "$data" 2>/dev/null)
start_server "$work/serve-sqlite.log"
snapshot "$work/sqlite"
log_index=$(jget .log_index < "$work/sqlite.item.json")
check "the seeded appeal has its sealed text in clear for its villager" 'grep -q "迁移前后必须一字不差" "$work/sqlite.appeal.json"'
check "the seeded item is in the log" '[[ "$log_index" =~ ^[0-9]+$ ]]'
# The log as served on SQLite: saved as the verifier's state (the signed checkpoint of this size).
check "verify --url on SQLite passes and saves the checkpoint" \
  '"$bin" verify --url "http://127.0.0.1:$port" --verifier-key "$key" --state "$work/tlog.state" --item-index "$log_index" > "$work/verify-sqlite.out" 2>&1'
stop_server
sqlite_root=$(sed -n 's/^checkpoint: .* root \([^ ]*\) .*/\1/p' "$work/verify-sqlite.out")

# ---- the move ----
target=$(new_db main)
rc=0
"$bin" migrate-store --data-dir "$data" --to "$target" > "$work/migrate.out" 2> "$work/migrate.err" || rc=$?
check "migrate-store exits 0" '[ "$rc" -eq 0 ] || { cat "$work/migrate.err" "$work/migrate.out"; false; }'
same_rows() { awk -v t="$1" '$1 == t && $2 >= 1 && $2 == $3 && $4 == "ok" { found = 1 } END { exit !found }' "$work/migrate.out"; }
check "the report lists appeals_appeals as equal" 'same_rows appeals_appeals'
check "the report lists the residents and the log as equal" 'same_rows residents_residents && same_rows tlog_entries && same_rows tlog_checkpoints'
check "no table differs" '! grep -Eq "DIFFER" "$work/migrate.out" && grep -q "every table equal" "$work/migrate.out"'
check "the log has the same size and root on both sides" 'grep -Eq "^transparency log: source size [1-9][0-9]* root .*: same$" "$work/migrate.out"'
check "every signed checkpoint verifies on the target" 'grep -q "signed checkpoint(s) verify on the target" "$work/migrate.out"'
check "progress went to stderr" 'grep -q "^copied appeals_appeals" "$work/migrate.err"'
check "no password or secret in the output" '! grep -qi "password\|PRIVATE+KEY" "$work/migrate.out" "$work/migrate.err"'
check "--verify-only passes on the copy" '"$bin" migrate-store --data-dir "$data" --to "$target" --verify-only > "$work/verify-only.out" 2>&1'

# ---- negative control: one corrupted row on the target (before serving it: a server writes sessions and audit records) ----
psql_db "$target" "UPDATE divisions_divisions SET name = name || '（改）' WHERE code = '420114001205'"
rc=0
"$bin" migrate-store --data-dir "$data" --to "$target" --verify-only > "$work/corrupt.out" 2>&1 || rc=$?
check "--verify-only fails on one changed row" '[ "$rc" -eq 1 ] && grep -Eq "^divisions_divisions .* DIFFERENT " "$work/corrupt.out" && grep -q "^FAILED" "$work/corrupt.out"'
psql_db "$target" "UPDATE divisions_divisions SET name = replace(name, '（改）', '') WHERE code = '420114001205'"
check "... and passes once the row is put back" '"$bin" migrate-store --data-dir "$data" --to "$target" --verify-only > "$work/restored.out" 2>&1'

# ---- the binary on PostgreSQL, with the same data dir (keys) ----
start_server "$work/serve-pg.log" --database "$target"
snapshot "$work/pg"
check "the server runs on PostgreSQL" 'grep -q "postgresql://" "$work/serve-pg.log"'
check "the appeal reads the same on PostgreSQL (sealed text opened with the same keys)" 'cmp -s "$work/sqlite.appeal.json" "$work/pg.appeal.json" || { diff "$work/sqlite.appeal.json" "$work/pg.appeal.json"; false; }'
check "the disclosure item reads the same" 'cmp -s "$work/sqlite.item.json" "$work/pg.item.json"'
check "its logged bytes are the same" 'cmp -s "$work/sqlite.entry" "$work/pg.entry"'
check "verify --url on PostgreSQL: the item's inclusion proof verifies, consistent with the SQLite checkpoint" \
  '"$bin" verify --url "http://127.0.0.1:$port" --verifier-key "$key" --state "$work/tlog.state" --item-index "$log_index" > "$work/verify-pg.out" 2>&1 && grep -q "^consistent with the saved checkpoint" "$work/verify-pg.out" && grep -q "^entry $log_index is in the log" "$work/verify-pg.out"'
pg_root=$(sed -n 's/^checkpoint: .* root \([^ ]*\) .*/\1/p' "$work/verify-pg.out")
check "the signed root is the one signed on SQLite" '[ -n "$sqlite_root" ] && [ "$sqlite_root" = "$pg_root" ]'
size=$(sed -n 's/^checkpoint: [^,]*, \([0-9]*\) entries.*/\1/p' "$work/verify-pg.out")
check "the server's JSON inclusion proof names the same root" \
  '[ "$(curl -sf "http://127.0.0.1:$port/api/v1/tlog/inclusion?index=$log_index&tree_size=$size" | jget .root_hash)" = "$sqlite_root" ]'
stop_server

# ---- refusals ----
rc=0
"$bin" migrate-store --data-dir "$data" --to "$target" > "$work/again.out" 2> "$work/again.err" || rc=$?
check "a target that is not empty is refused" '[ "$rc" -eq 1 ] && grep -q "is not empty" "$work/again.err"'
rc=0
"$bin" migrate-store --data-dir "$data" --from "sqlite://$work/nowhere/gongzhi.db" --to "$(new_db nosrc)" > /dev/null 2> "$work/nosrc.err" || rc=$?
check "a missing source is refused" '[ "$rc" -eq 1 ] && grep -q "does not exist" "$work/nosrc.err" && [ ! -e "$work/nowhere" ]'
rc=0
"$bin" migrate-store --data-dir "$data" --to "postgresql://gongzhi@127.0.0.1:1/nothing" > /dev/null 2> "$work/unreach.err" || rc=$?
check "an unreachable target is refused" '[ "$rc" -eq 1 ] && grep -q "cannot reach the target" "$work/unreach.err"'

# A table nobody declared in the source: the copy must stop and name it, not skip it.
cp -a "$data" "$work/stray"
sqlite3 "$work/stray/gongzhi.db" "CREATE TABLE stray_notes (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO stray_notes VALUES (1, 'x');"
rc=0
"$bin" migrate-store --data-dir "$work/stray" --to "$(new_db stray)" > /dev/null 2> "$work/stray.err" || rc=$?
check "a source table the migrations do not create stops the copy, named" '[ "$rc" -eq 1 ] && grep -q "only in the source: table stray_notes" "$work/stray.err"'

# An older source: refused unless --migrate-source.
cp -a "$data" "$work/older"
sqlite3 "$work/older/gongzhi.db" "DELETE FROM schema_migrations WHERE module = 'deliberation' AND version = (SELECT MAX(version) FROM schema_migrations WHERE module = 'deliberation')"
rc=0
"$bin" migrate-store --data-dir "$work/older" --to "$(new_db older)" > /dev/null 2> "$work/older.err" || rc=$?
check "a source at an older schema version is refused with the way out" '[ "$rc" -eq 1 ] && grep -q "older schema version" "$work/older.err" && grep -q "gongzhi migrate" "$work/older.err"'

if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
echo "all checks passed"
