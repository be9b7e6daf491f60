#!/usr/bin/env bash
# `gongzhi api-key` end to end, on a copy of the demo data folder: `create` prints the key alone on
# stdout (and stores only its hash), `list` shows the client without its key, a running server
# accepts the key for a GeoReport POST, `revoke` (run while the server runs) makes the very next
# POST fail, a second revoke and a bad scope fail with exit code 1 and nothing on stdout, and the
# key appears in no log line.
#
# Usage: api_key_cli_test.sh GONGZHI_BINARY DEMO_TEMPLATE_DIR WORK_DIR   (registered in tests/CMakeLists.txt)
set -euo pipefail
bin=${1:?usage: api_key_cli_test.sh GONGZHI TEMPLATE_DIR WORK_DIR}
template=${2:?usage: api_key_cli_test.sh GONGZHI TEMPLATE_DIR WORK_DIR}
work=${3:?usage: api_key_cli_test.sh GONGZHI TEMPLATE_DIR WORK_DIR}
rm -rf "$work"
mkdir -p "$work"
cp -a "$template" "$work/data"
data="$work/data"
fails=0
server=""
cleanup() { if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; }
trap cleanup EXIT
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

# ---- create ----
key=$("$bin" api-key create --name "CLI 测试客户端" --scope 420114001 --data-dir "$data" 2>"$work/create.err")
check "create prints exactly one key on stdout" '[[ "$key" =~ ^gz311_[A-Za-z0-9_-]{43}$ ]]'
id=$(sed -n 's/^Issued client \([0-9][0-9]*\) over 420114001000: .*/\1/p' "$work/create.err")
check "create says on stderr which client it issued" '[ -n "$id" ]'

# ---- list ----
"$bin" api-key list --data-dir "$data" >"$work/list.out" 2>"$work/list.err"
check "list shows the client as active with its key hint" 'grep -E "^$id +active +420114001000 +${key:0:10}… .*CLI 测试客户端$" "$work/list.out" >/dev/null'
check "list never shows the key" '! grep -F -- "$key" "$work/list.out" >/dev/null'

# ---- refusals: exit 1, a reason on stderr, nothing on stdout ----
rc=0
"$bin" api-key create --name x --scope 42 --data-dir "$data" >"$work/bad.out" 2>"$work/bad.err" || rc=$?
check "a province scope is refused (exit 1)" '[ "$rc" -eq 1 ] && [ ! -s "$work/bad.out" ] && grep -q "bad-scope\|scope" "$work/bad.err"'
rc=0
"$bin" api-key create --scope 420114 --data-dir "$data" >"$work/usage.out" 2>&1 || rc=$?
check "a missing --name is a usage error (exit 2)" '[ "$rc" -eq 2 ]'

# ---- the key works against a running server ----
"$bin" serve --listen 127.0.0.1:0 --data-dir "$data" 2>"$work/serve.log" >/dev/null &
server=$!
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's/.*"event":"listening".*"port":\([0-9][0-9]*\).*/\1/p' "$work/serve.log" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$port" ]; then
  fail "the server did not start"; tail -n 20 "$work/serve.log"; exit 1
fi
post() {
  curl -s -o "$work/post.out" -w '%{http_code}' -X POST "http://127.0.0.1:$port/open311/v2/requests.json" \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-urlencode "api_key=$key" --data-urlencode 'jurisdiction_id=420114001205' \
    --data-urlencode 'service_code=roads' --data-urlencode 'description=村口的路面塌了一个坑' \
    --data-urlencode 'phone=15400000001'
}
status=$(post)
check "the server accepts a GeoReport POST with the CLI's key (201)" '[ "$status" = 201 ] && grep -q "\"service_request_id\"" "$work/post.out"'

# ---- revoke, while the server runs ----
"$bin" api-key revoke "$id" --reason "CLI 测试结束" --data-dir "$data" >"$work/revoke.out" 2>"$work/revoke.err"
check "revoke reports the client" 'grep -q "Revoked the key of client $id" "$work/revoke.out"'
status=$(post)
check "the very next POST with the revoked key is refused (403 bad-key)" '[ "$status" = 403 ] && grep -q "/problems/open311/bad-key" "$work/post.out"'
rc=0
"$bin" api-key revoke "$id" --data-dir "$data" >"$work/again.out" 2>"$work/again.err" || rc=$?
check "a second revoke fails (exit 1)" '[ "$rc" -eq 1 ] && grep -q "already-revoked\|revoked" "$work/again.err"'
rc=0
"$bin" api-key revoke 12345 --data-dir "$data" >/dev/null 2>"$work/unknown.err" || rc=$?
check "revoking an unknown client fails (exit 1)" '[ "$rc" -eq 1 ]'
"$bin" api-key list --data-dir "$data" >"$work/list2.out" 2>/dev/null
check "list shows it revoked" 'grep -E "^$id +revoked " "$work/list2.out" >/dev/null'

kill -TERM "$server"
rc=0
wait "$server" || rc=$?
server=""
check "the server stops cleanly (exit 0)" '[ "$rc" -eq 0 ]'
check "the key is in no log line of the server or the CLI" \
  '! cat "$work/serve.log" "$work/create.err" "$work/list.err" "$work/revoke.err" | grep -F -- "$key" >/dev/null'

if [ "$fails" -ne 0 ]; then
  echo "$fails check(s) failed; files in $work"
  exit 1
fi
rm -rf "$work"
echo "api-key CLI: all checks passed"
