#!/usr/bin/env bash
# archive_command for continuous WAL archiving (docs/operations.md, "Backup"):
#
#   archive_mode = on
#   archive_command = '/usr/local/lib/gongzhi/archive-wal.sh %p %f /var/backups/gongzhi/wal'
#
# Copies one WAL segment into the archive folder, never over an existing file (a second cluster
# archiving into the same folder by mistake must fail loudly, not overwrite), and makes it durable
# before PostgreSQL may recycle it: a non-zero exit makes PostgreSQL keep the segment and retry.
# Ship the folder off the machine (rsync, object storage) from here or a timer.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: archive-wal.sh %p %f ARCHIVE_DIR" >&2; exit 2; }
src=$1 name=$2 dir=$3
dest=$dir/$name
if [ -e "$dest" ]; then
  # PostgreSQL may retry after a crash between copy and success: the same bytes are fine.
  cmp -s "$src" "$dest" && exit 0
  echo "archive-wal.sh: $dest exists with other content" >&2
  exit 1
fi
tmp=$dir/.$name.tmp
cp "$src" "$tmp"
sync "$tmp"
mv "$tmp" "$dest"
sync "$dir"
