#!/usr/bin/env bash
# Logical backup of a gongzhi PostgreSQL database (pg_dump custom format), with the node's keys
# and the transparency log checkpoint it must reproduce (docs/operations.md, "Backup").
#
#   GONGZHI_DATABASE=postgresql://… deploy/backup/pg-dump.sh OUT_DIR [--node URL] [--keys DIR]
#
#   --node URL   a running node (http://127.0.0.1:8081): its log is audited and its checkpoint
#                recorded BEFORE the dump starts, so the dump holds at least that tree (the drill
#                checks the restored log extends it). Quiesce writes for an exact root match.
#   --keys DIR   a node's keys/ folder (/var/lib/gongzhi/keys): the tlog signing key and the
#                field cipher keys. Without them the sealed personal data of the dump cannot be
#                opened: the backup is then useless. SECRET: keep OUT_DIR encrypted/offline.
#
# Writes OUT_DIR/<UTC stamp>/{gongzhi.dump, keys.tar, tlog-*.txt, tlog-state, SHA256SUMS} and
# prints that folder. Consistent without stopping anything: pg_dump reads one snapshot.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 1 ] || die "usage: pg-dump.sh OUT_DIR [--node URL] [--keys DIR]"
out_root=$1; shift
node="" keys=""
while [ $# -gt 0 ]; do
  case $1 in
    --node) node=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
: "${GONGZHI_DATABASE:?set GONGZHI_DATABASE to the database URL}"

out=$out_root/$(date -u +%Y%m%dT%H%M%SZ)-dump
mkdir -p "$out"
chmod 0700 "$out"
[ -n "$node" ] && record_checkpoint "$node" "$out"
if [ -n "$keys" ]; then
  [ -d "$keys" ] || die "no keys folder at $keys"
  tar -C "$(dirname "$keys")" -cf "$out/keys.tar" "$(basename "$keys")"
fi
# -Fc: compressed, restorable table by table and in parallel (pg_restore -j). No owners or
# privileges: the restore names its own role.
pg_dump --format=custom --no-owner --no-privileges --file "$out/gongzhi.dump" "$GONGZHI_DATABASE"
(cd "$out" && sha256sum -- * > SHA256SUMS)
say "logical backup in $out ($(du -sh "$out" | cut -f1))"
echo "$out"
