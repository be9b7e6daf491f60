#!/usr/bin/env bash
# Several gongzhi processes starting at once against one empty PostgreSQL database (issue #8):
#   1. six `gongzhi migrate` sharing one data folder, started together: all exit 0, and between
#      them they apply each migration exactly once (the store lock, storage/db.h WithStoreLock);
#   2. a node with a data folder of its own and no keys is refused (exit code != 0, a message that
#      names its folder and keys/) and makes no keys; after copying keys/ from the first node it
#      starts; a node with keys of its own is refused (app/node_keys.h).
#
# Usage: concurrent_start_test.sh GONGZHI_BINARY POSTGRES_STATE_DIR WORK_DIR  (tests/CMakeLists.txt)
set -euo pipefail
bin=${1:?usage: concurrent_start_test.sh GONGZHI POSTGRES_STATE_DIR WORK_DIR}
state=${2:?usage: concurrent_start_test.sh GONGZHI POSTGRES_STATE_DIR WORK_DIR}
work=${3:?usage: concurrent_start_test.sh GONGZHI POSTGRES_STATE_DIR WORK_DIR}
read -r _ port _ < "$state/cluster"
rm -rf "$work"
mkdir -p "$work"
db="nodes_$$_$(date +%s)"
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U gongzhi -d postgres -c "CREATE DATABASE $db"
url="postgresql://gongzhi@127.0.0.1:$port/$db"
sql() { psql -X -qAt -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U gongzhi -d "$db" -c "$1"; }
fails=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

# ---- 1. six processes migrating the empty database at once ----
pids=()
for i in 1 2 3 4 5 6; do
  "$bin" migrate --data-dir "$work/shared" --database "$url" >"$work/m$i.out" 2>"$work/m$i.err" &
  pids+=($!)
done
codes=""
for p in "${pids[@]}"; do
  if wait "$p"; then codes+="0"; else codes+="1"; fi
done
check "all six migrate processes exit 0 ($codes)" '[ "$codes" = "000000" ]'
for i in 1 2 3 4 5 6; do [ -s "$work/m$i.err" ] && { echo "--- m$i.err"; cat "$work/m$i.err"; }; done
known=$(sed -n 's/.*(\([0-9][0-9]*\) known).*/\1/p' "$work/m1.out")
applied=$(cat "$work"/m?.out | sed -n 's/^\([0-9][0-9]*\) migration(s) applied.*/\1/p' | awk '{s += $1} END {print s}')
recorded=$(sql "SELECT COUNT(*) FROM schema_migrations")
check "between them they applied each of the $known migrations once (applied $applied, recorded $recorded)" \
  '[ -n "$known" ] && [ "$applied" = "$known" ] && [ "$recorded" = "$known" ]'

# ---- 2. the keys a second node must share ----
set +e
"$bin" migrate --data-dir "$work/other" --database "$url" >"$work/other.out" 2>"$work/other.err"
code=$?
set -e
check "a node without keys is refused (exit $code)" '[ "$code" -ne 0 ]'
check "its message names its data folder and keys/" 'grep -q "$work/other" "$work/other.err" && grep -q "keys/" "$work/other.err"'
check "it made no keys of its own" '[ ! -e "$work/other/keys/field.key" ] && [ ! -e "$work/other/keys/tlog.key" ]'
cp -a "$work/shared/keys" "$work/other/"
check "with keys/ copied from the first node it starts" \
  '"$bin" migrate --data-dir "$work/other" --database "$url" >"$work/other2.out" 2>"$work/other2.err"'

mkdir -p "$work/own"
GONGZHI_DATABASE="sqlite://$work/own/alone.db" "$bin" migrate --data-dir "$work/own" >/dev/null 2>&1  # keys of its own
set +e
"$bin" migrate --data-dir "$work/own" --database "$url" >"$work/own.out" 2>"$work/own.err"
code=$?
set -e
check "a node with keys of its own is refused (exit $code)" '[ "$code" -ne 0 ] && grep -q "keys/" "$work/own.err"'
cat "$work/own.err"

psql -X -q -h 127.0.0.1 -p "$port" -U gongzhi -d postgres -c "DROP DATABASE $db" || true
if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
echo "all checks passed"
