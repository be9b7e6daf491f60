#!/usr/bin/env bash
# Restore drill: restores a backup of deploy/backup/ into a fresh PostgreSQL cluster, starts
# gongzhi on it, audits the restored transparency log (`gongzhi verify`: every entry against the
# signed tree) and checks that it extends the checkpoint recorded at backup time, root for root
# (docs/operations.md, "The restore drill"). Touches nothing of production: its own cluster on
# 127.0.0.1, its own folder; archive_mode off in the restored copy.
#
#   deploy/backup/restore-drill.sh BACKUP --work DIR [--pg-port P] [--node-port P]
#                                  [--wal-archive DIR] [--db-name gongzhi] [--require-equal] [--keep]
#
#   BACKUP            a folder made by pg-dump.sh (gongzhi.dump), basebackup.sh (base/) or
#                     sqlite-backup.sh (gongzhi.db: no PostgreSQL involved)
#   --wal-archive     base backups: replay archived WAL after the backup (archive-wal.sh's folder),
#                     to the end of the archive
#   --db-name         base backups: the database gongzhi uses in that cluster
#   --require-equal   the restored log must be exactly the recorded one (same size, same root),
#                     not just extend it: right when nothing was written during the backup
#   --keep            leave the cluster running and the folder in place
# Exit 0 and a last line "restore drill: OK ..." when the restored log checks out.
# As root, PostgreSQL's programs run as PG_RUN_AS (default postgres) through runuser.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 1 ] || die "usage: restore-drill.sh BACKUP --work DIR [...]"
backup=$(realpath "$1"); shift
work="" pg_port=54329 node_port=18089 wal_archive="" db_name=gongzhi require_equal=0 keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --work) work=$2; shift 2 ;;
    --pg-port) pg_port=$2; shift 2 ;;
    --node-port) node_port=$2; shift 2 ;;
    --wal-archive) wal_archive=$(realpath "$2"); shift 2 ;;
    --db-name) db_name=$2; shift 2 ;;
    --require-equal) require_equal=1; shift ;;
    --keep) keep=1; shift ;;
    *) die "unknown argument $1" ;;
  esac
done
[ -n "$work" ] || die "--work DIR is required"
[ -f "$backup/tlog-state" ] || die "$backup has no tlog-state: take backups with --node so the drill has a root to compare"
[ -f "$backup/keys.tar" ] || die "$backup has no keys.tar: gongzhi cannot open the restored data without the county's keys"

(cd "$backup" && sha256sum --quiet -c SHA256SUMS) || die "$backup: checksums do not match (SHA256SUMS)"
mkdir -p "$work"
work=$(realpath "$work")
[ ! -e "$work/pg" ] || die "$work/pg exists: give a fresh --work folder"
pg=$work/pg
mkdir -p "$pg/data" "$work/node"
chmod 0700 "$pg/data" "$work/node"
if [ "$(id -u)" = 0 ]; then
  chown -R "${PG_RUN_AS:-postgres}" "$pg"
  # The folders above must be traversable for that user.
  d=$pg; while [ "$d" != / ]; do d=$(dirname "$d"); chmod o+x "$d" 2>/dev/null || true; done
fi

node_pid=""
cleanup() {
  if [ "$keep" = 1 ]; then say "kept: $work (cluster on 127.0.0.1:$pg_port, node pid ${node_pid:-none})"; return; fi
  [ -n "$node_pid" ] && kill -TERM "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null || true
  [ -f "$pg/data/postmaster.pid" ] && as_pg "$PG_BINDIR/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

started=$(date +%s)
settings="
port = $pg_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pg'
archive_mode = off
"
database=""
if [ -f "$backup/gongzhi.db" ]; then
  kind=sqlite
  cp "$backup/gongzhi.db" "$work/node/gongzhi.db"
  database=sqlite://$work/node/gongzhi.db
elif [ -f "$backup/gongzhi.dump" ]; then
  kind=dump
  as_pg "$PG_BINDIR/initdb" -D "$pg/data" -U gongzhi --auth=trust --locale=C -E UTF8 --no-instructions >/dev/null
  printf '%s' "$settings" | as_pg tee -a "$pg/data/postgresql.conf" >/dev/null
  as_pg "$PG_BINDIR/pg_ctl" -D "$pg/data" -l "$pg/log" -w -t 120 start >/dev/null
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U gongzhi -d postgres \
    -c "CREATE DATABASE $db_name TEMPLATE template0 LOCALE 'C' ENCODING 'UTF8'"
  pg_restore --exit-on-error --no-owner --no-privileges --jobs=2 -h 127.0.0.1 -p "$pg_port" -U gongzhi -d "$db_name" "$backup/gongzhi.dump"
  db_user=gongzhi
elif [ -d "$backup/base" ]; then
  kind=base
  # Unpacked by us (the backup folder is ours, 0700), then handed to PostgreSQL's user.
  tar -xzf "$backup/base/base.tar.gz" -C "$pg/data"
  tar -xzf "$backup/base/pg_wal.tar.gz" -C "$pg/data/pg_wal"
  [ "$(id -u)" != 0 ] || chown -R "${PG_RUN_AS:-postgres}" "$pg/data"
  # The copy must not archive into production's WAL archive, nor listen where production does;
  # it trusts loopback connections (it listens nowhere else and is thrown away).
  printf '%s' "$settings" | as_pg tee -a "$pg/data/postgresql.auto.conf" >/dev/null
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_pg tee "$pg/data/pg_hba.conf" >/dev/null
  if [ -n "$wal_archive" ]; then
    printf "restore_command = 'cp %s/%%f %%p'\nrecovery_target_action = 'promote'\n" "$wal_archive" | as_pg tee -a "$pg/data/postgresql.auto.conf" >/dev/null
    as_pg touch "$pg/data/recovery.signal"
  fi
  as_pg "$PG_BINDIR/pg_ctl" -D "$pg/data" -l "$pg/log" -w -t 600 start >/dev/null
  # The first superuser of the backed-up cluster (whoever ran initdb there).
  db_user=$(psql -X -t -A -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "SELECT rolname FROM pg_roles WHERE oid = 10" 2>/dev/null ||
            psql -X -t -A -h 127.0.0.1 -p "$pg_port" -U gongzhi -d postgres -c "SELECT rolname FROM pg_roles WHERE oid = 10")
else
  die "$backup holds neither gongzhi.dump nor base/"
fi
[ -n "$database" ] || database=postgresql://$db_user@127.0.0.1:$pg_port/$db_name
say "restored ($kind) in $(( $(date +%s) - started )) s: ${database}"

tar -C "$work/node" -xf "$backup/keys.tar"
url=http://127.0.0.1:$node_port
GONGZHI_DATABASE=$database \
  "$GONGZHI_BIN" serve --listen "127.0.0.1:$node_port" --data-dir "$work/node" --threads 4 2> "$work/node.log" >/dev/null &
node_pid=$!
for _ in $(seq 1 600); do
  curl -fsS "$url/readyz" >/dev/null 2>&1 && break
  kill -0 "$node_pid" 2>/dev/null || { tail -20 "$work/node.log" >&2; die "gongzhi did not start on the restored database"; }
  sleep 0.2
done
curl -fsS "$url/readyz" >/dev/null || { tail -20 "$work/node.log" >&2; die "gongzhi on the restored database is not ready"; }

# The full audit, and consistency with the backup-time checkpoint (verify --state).
cp "$backup/tlog-state" "$work/tlog-state"
if ! "$GONGZHI_BIN" verify --url "$url" --state "$work/tlog-state" > "$work/verify.txt" 2>&1; then
  cat "$work/verify.txt" >&2
  die "FAILED: the restored transparency log does not verify or does not extend the backup-time checkpoint"
fi
recorded=$(cat "$backup/tlog-checkpoint.txt")
restored=$(grep '^checkpoint: ' "$work/verify.txt")
say "at backup: ${recorded#checkpoint: }"
say "restored:  ${restored#checkpoint: }"
if [ "$recorded" = "$restored" ]; then
  echo "restore drill: OK ($kind): the restored log is exactly the backed-up one (${restored#checkpoint: })"
elif [ "$require_equal" = 1 ]; then
  die "FAILED: the restored log differs from the one recorded at backup time (--require-equal)"
else
  echo "restore drill: OK ($kind): the restored log verifies and extends the backed-up checkpoint (${restored#checkpoint: })"
fi
