#!/usr/bin/env bash
# Backup of a county on the embedded SQLite store (one machine, no PostgreSQL), online: the
# sqlite3 shell's .backup uses SQLite's online backup API, so gongzhi keeps serving (in WAL mode
# readers and the backup do not block its writes). The copy is checked (PRAGMA integrity_check).
#
#   deploy/backup/sqlite-backup.sh OUT_DIR --data-dir /var/lib/gongzhi [--node URL]
#
# Writes OUT_DIR/<UTC stamp>-sqlite/{gongzhi.db, keys.tar, tlog-*.txt, tlog-state, SHA256SUMS};
# restore-drill.sh restores it like the PostgreSQL backups. SECRET (keys.tar): keep it encrypted.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 1 ] || die "usage: sqlite-backup.sh OUT_DIR --data-dir DIR [--node URL]"
out_root=$1; shift
data_dir="" node=""
while [ $# -gt 0 ]; do
  case $1 in
    --data-dir) data_dir=$2; shift 2 ;;
    --node) node=$2; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
[ -f "$data_dir/gongzhi.db" ] || die "no gongzhi.db in --data-dir '$data_dir'"
command -v sqlite3 >/dev/null || die "the sqlite3 shell is missing (apt-get install sqlite3)"

out=$out_root/$(date -u +%Y%m%dT%H%M%SZ)-sqlite
mkdir -p "$out"
chmod 0700 "$out"
[ -n "$node" ] && record_checkpoint "$node" "$out"
tar -C "$data_dir" -cf "$out/keys.tar" keys
sqlite3 "$data_dir/gongzhi.db" ".timeout 10000" ".backup '$out/gongzhi.db'"
check=$(sqlite3 "$out/gongzhi.db" "PRAGMA integrity_check")
[ "$check" = ok ] || die "the copy fails PRAGMA integrity_check: $check"
(cd "$out" && sha256sum -- * > SHA256SUMS)
say "SQLite backup in $out ($(du -sh "$out" | cut -f1))"
echo "$out"
