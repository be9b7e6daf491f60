# Shared by the backup scripts of deploy/backup/ (sourced, not run).
set -euo pipefail

say() { echo "$(basename "$0"): $*" >&2; }
die() { say "$*"; exit 1; }

# The gongzhi binary; GONGZHI_BIN overrides.
GONGZHI_BIN=${GONGZHI_BIN:-$(command -v gongzhi || echo /usr/local/bin/gongzhi)}
# PostgreSQL's server programs (initdb, pg_ctl, postgres).
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}

# Runs a PostgreSQL server program as PG_RUN_AS when we are root (PostgreSQL refuses root);
# otherwise as ourselves.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u "${PG_RUN_AS:-postgres}" -- "$@"; else "$@"; fi
}

# Records the transparency log's signed checkpoint as a full audit (`gongzhi verify`): every
# entry checked against the signed tree. $1 node URL, $2 output folder. Writes tlog-state (what
# `verify --state` reads to prove a later log extends this one) and tlog-checkpoint.txt (its
# "checkpoint: <origin>, <N> entries, root <hash>" line).
record_checkpoint() {
  local url=$1 out=$2
  "$GONGZHI_BIN" verify --url "$url" --state "$out/tlog-state" > "$out/tlog-verify.txt" 2>&1 ||
    { cat "$out/tlog-verify.txt" >&2; die "the transparency log at $url does not verify; not taking a backup of it"; }
  grep '^checkpoint: ' "$out/tlog-verify.txt" > "$out/tlog-checkpoint.txt"
}
