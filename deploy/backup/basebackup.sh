#!/usr/bin/env bash
# Physical backup: a base backup of the whole PostgreSQL cluster (pg_basebackup, tar format, WAL
# streamed alongside so the backup alone is consistent), with the node's keys and the
# transparency log checkpoint (docs/operations.md, "Backup"). With WAL archiving
# (archive-wal.sh as archive_command) it is the start point of a point-in-time recovery.
#
#   deploy/backup/basebackup.sh OUT_DIR --pg "host=… port=… user=…" [--node URL] [--keys DIR]
#
# --pg is a libpq connection string of a role with REPLICATION (pg_hba.conf must allow it).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 1 ] || die "usage: basebackup.sh OUT_DIR --pg CONNINFO [--node URL] [--keys DIR]"
out_root=$1; shift
pg="" node="" keys=""
while [ $# -gt 0 ]; do
  case $1 in
    --pg) pg=$2; shift 2 ;;
    --node) node=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
[ -n "$pg" ] || die "--pg CONNINFO is required"

out=$out_root/$(date -u +%Y%m%dT%H%M%SZ)-base
mkdir -p "$out"
chmod 0700 "$out"
[ -n "$node" ] && record_checkpoint "$node" "$out"
if [ -n "$keys" ]; then
  [ -d "$keys" ] || die "no keys folder at $keys"
  tar -C "$(dirname "$keys")" -cf "$out/keys.tar" "$(basename "$keys")"
fi
# --checkpoint=fast: start now instead of waiting for the next scheduled checkpoint.
pg_basebackup --dbname="$pg" --pgdata="$out/base" --format=tar --gzip --wal-method=stream \
  --checkpoint=fast --manifest-checksums=SHA256 --no-password
(cd "$out" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
say "base backup in $out ($(du -sh "$out" | cut -f1))"
echo "$out"
