#!/usr/bin/env bash
# Transparency-log tests against the real gongzhi binary (registered with ctest by
# tests/CMakeLists.txt; see docs/transparency-log.md):
#
#   run.sh interop GONGZHI FILL WORK   the Go reference (golang.org/x/mod/sumdb/{tlog,note}, built
#                                      offline from Debian's golang-golang-x-mod-dev) verifies
#                                      what a running server serves
#   run.sh cli GONGZHI FILL WORK       gongzhi verify (--url and --data-dir), gongzhi witness, and
#                                      tampering with the SQLite file behind the log's back
#
# FILL is gz_tlog_fill (test support: appends entries to the store). Each run uses a fresh data
# folder under WORK and a free loopback port; the server is stopped on exit.
set -euo pipefail

mode=$1
GONGZHI=$(realpath "$2")
FILL=$(realpath "$3")
WORK=$4
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
DATA=$WORK/data
DB=$DATA/gongzhi.db
server_pid=

cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

die() { echo "run.sh: FAIL: $*" >&2; [ -f "$WORK/server.log" ] && tail -20 "$WORK/server.log" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() {
  PORT=$(free_port)
  URL=http://127.0.0.1:$PORT
  "$GONGZHI" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" --tlog-sign-delay-ms 20 >>"$WORK/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 200); do
    if curl -sf "$URL/healthz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { server_pid=; return 1; }
    sleep 0.1
  done
  die "the server did not come up"
}

stop_server() {
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
}

# Waits until the served checkpoint has size $1 (the signer notices other processes' appends
# within its 5 s interval).
wait_size() {
  for _ in $(seq 1 150); do
    size=$(curl -sf "$URL/tlog/checkpoint" | sed -n 2p || true)
    [ "$size" = "$1" ] && return 0
    sleep 0.1
  done
  die "the checkpoint did not reach size $1 (it is ${size:-none})"
}

"$GONGZHI" migrate --data-dir "$DATA" >"$WORK/migrate.log" 2>&1 || die "migrate failed"

case "$mode" in
interop)
  command -v go >/dev/null || die "go not installed (scripts/setup installs golang-go)"
  # Offline, GOPATH mode, against the Debian package only.
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$WORK/gocache GOPROXY=off GOFLAGS= \
    go build -o "$WORK/interop" "$HERE/interop.go" || die "the Go program does not build"
  "$FILL" "$DB" 300 1 || die "fill"
  start_server || die "serve did not start"
  wait_size 300
  "$FILL" "$DB" 333 2 || die "fill while serving"
  wait_size 633
  "$WORK/interop" "$URL" 300 || die "the Go reference refused what gongzhi serves"
  ;;
cli)
  "$FILL" "$DB" 40 3 || die "fill"
  start_server || die "serve did not start"
  wait_size 40
  KEY=$("$GONGZHI" tlog verifier-key --data-dir "$DATA" 2>/dev/null)
  [ "$KEY" = "$(curl -sf "$URL/tlog/verifier-key")" ] || die "tlog verifier-key differs from /tlog/verifier-key"
  "$GONGZHI" verify --url "$URL" --verifier-key "$KEY" --state "$WORK/state" --item-index 7 || die "verify --url"
  curl -sf "$URL/api/v1/tlog/entries/5" | python3 -c 'import sys,json,base64; sys.stdout.buffer.write(base64.b64decode(json.load(sys.stdin)["entry"]))' >"$WORK/entry5"
  "$GONGZHI" verify --url "$URL" --state "$WORK/state" --entry-file "$WORK/entry5" | grep -q "entry 5 of the log" || die "verify --entry-file"
  printf 'not in the log' >"$WORK/stranger"
  if "$GONGZHI" verify --url "$URL" --state "$WORK/state" --entry-file "$WORK/stranger" 2>/dev/null; then die "a file not in the log was accepted"; fi
  if "$GONGZHI" verify --url "$URL" --state "$WORK/state" --item-index 40 2>/dev/null; then die "index 40 accepted in a log of 40"; fi
  "$GONGZHI" witness --url "$URL" --state-dir "$WORK/witness" --verifier-key "$KEY" --once || die "witness"
  "$FILL" "$DB" 25 4
  wait_size 65
  "$GONGZHI" witness --url "$URL" --state-dir "$WORK/witness" --once || die "witness after growth"
  [ -f "$WORK/witness/checkpoints/40" ] && [ -f "$WORK/witness/checkpoints/65" ] || die "the witness did not keep its checkpoints"
  "$GONGZHI" verify --url "$URL" --state "$WORK/state" || die "verify after growth"
  # A wrong key must be refused.
  OTHER="gongzhi.example/420114+00000000+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
  if "$GONGZHI" verify --url "$URL" --verifier-key "$OTHER" 2>/dev/null; then die "a wrong key was accepted"; fi
  stop_server
  "$GONGZHI" verify --data-dir "$DATA" --state "$WORK/state" || die "verify --data-dir on an intact store"

  cp -r "$WORK/witness" "$WORK/witness-fork"  # for the fork below: it has seen sizes 40 and 65
  cp "$DB" "$WORK/intact.db"
  DROP="DROP TRIGGER tlog_entries_no_update; DROP TRIGGER tlog_entries_no_delete; DROP TRIGGER tlog_hashes_no_update; DROP TRIGGER tlog_hashes_no_delete; DROP TRIGGER tlog_checkpoints_no_update; DROP TRIGGER tlog_checkpoints_no_delete;"

  # Tamper 1: edit an entry.
  sqlite3 "$DB" "$DROP UPDATE tlog_entries SET entry = CAST('forged' AS BLOB) WHERE idx = 10;"
  if "$GONGZHI" verify --data-dir "$DATA" 2>"$WORK/t1.err"; then die "an edited entry was not detected by verify"; fi
  grep -q "FAILED.*entry 10 does not hash" "$WORK/t1.err" || die "verify gave no clear message: $(cat "$WORK/t1.err")"
  if start_server; then die "serve started on a tampered store"; fi
  grep -q "cannot start.*entry 10 does not hash to its stored leaf hash" "$WORK/server.log" || die "serve did not say why it refused"

  # Tamper 2: delete the last entry.
  cp "$WORK/intact.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
  sqlite3 "$DB" "$DROP DELETE FROM tlog_entries WHERE idx = 64;"
  if "$GONGZHI" verify --data-dir "$DATA" 2>/dev/null; then die "a deleted entry was not detected"; fi

  # Tamper 3: rewrite history consistently (entries and stored hashes), re-signing impossible
  # without the key: the signed root tells.
  cp "$WORK/intact.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
  python3 - "$DB" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for t in ["tlog_entries_no_update","tlog_entries_no_delete","tlog_hashes_no_update","tlog_hashes_no_delete"]:
    db.execute("DROP TRIGGER " + t)
db.execute("UPDATE tlog_entries SET entry = ? WHERE idx = 3", (b"rewritten history",))
entries = [bytes(r[0]) for r in db.execute("SELECT entry FROM tlog_entries ORDER BY idx")]
def node(l, r): return hashlib.sha256(b"\x01" + l + r).digest()
stored = []
for n, e in enumerate(entries):
    h = hashlib.sha256(b"\x00" + e).digest()
    stored.append(h)
    i, m = 0, n
    while m & 1:
        # sibling: the hash of the subtree just left of this one at level i
        level_index = None
        # recompute via index formula
        def idx(level, k):
            for _ in range(level): k = 2 * k + 1
            s = 0
            while k > 0: s += k; k >>= 1
            return s + level
        h = node(stored[idx(i, (n >> i) - 1)], h)
        stored.append(h)
        i += 1; m >>= 1
for i, h in enumerate(stored):
    db.execute("UPDATE tlog_hashes SET hash = ? WHERE idx = ?", (h, i))
db.commit()
PY
  if "$GONGZHI" verify --data-dir "$DATA" 2>"$WORK/t3.err"; then die "rewritten history was not detected"; fi
  grep -q "root signed" "$WORK/t3.err" || die "rewritten history: unclear message: $(cat "$WORK/t3.err")"
  if start_server; then die "serve started on rewritten history"; fi

  cp "$WORK/intact.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
  "$GONGZHI" verify --data-dir "$DATA" --state "$WORK/state" || die "verify on the restored store"

  # A fork: the key holder signs another history (a second store with the same key and other
  # entries). The witness and the verifier's saved state, both made on the real log, catch it.
  FORK=$WORK/fork
  # The key goes in before the fork's first start: a store records the keys it was started with
  # and refuses others afterwards (src/app/node_keys.h).
  mkdir -p -m 0700 "$FORK/keys"
  cp "$DATA/keys/tlog.key" "$FORK/keys/tlog.key"
  "$GONGZHI" migrate --data-dir "$FORK" >/dev/null 2>&1 || die "migrate fork"
  "$FILL" "$FORK/gongzhi.db" 65 99 || die "fill fork"
  DATA=$FORK
  start_server || die "serve (fork) did not start"
  wait_size 65
  if "$GONGZHI" witness --url "$URL" --state-dir "$WORK/witness-fork" --once 2>"$WORK/fork1.err"; then
    die "the witness missed two roots for one size"
  fi
  grep -q "FORK: two different roots signed for size 65" "$WORK/fork1.err" || die "fork 1 message: $(cat "$WORK/fork1.err")"
  "$FILL" "$FORK/gongzhi.db" 5 98
  wait_size 70
  rm -f "$WORK/witness-fork/fork-"*
  if "$GONGZHI" witness --url "$URL" --state-dir "$WORK/witness-fork" --once 2>"$WORK/fork2.err"; then
    die "the witness accepted a tree that does not extend the one it kept"
  fi
  grep -q "FORK: the checkpoint of size 70 is not consistent" "$WORK/fork2.err" || die "fork 2 message: $(cat "$WORK/fork2.err")"
  if "$GONGZHI" verify --url "$URL" --state "$WORK/state" 2>"$WORK/fork3.err"; then die "verify accepted a forked history"; fi
  grep -q "history was rewritten" "$WORK/fork3.err" || die "fork 3 message: $(cat "$WORK/fork3.err")"
  stop_server
  ;;
*)
  die "unknown mode $mode"
  ;;
esac
echo "run.sh: $mode ok"
