#!/usr/bin/env bash
# The transparency-log scenario of `make bench` (issue #5, "Performance"); bench/run calls it, and
# it runs alone too:
#
#   bench/tlog/run.sh COMPARE_BINARY WORK_DIR [LEAVES] [PROOFS]
#
# Builds the Go side (bench/tlog/tlog_compare.go) offline against Debian's
# golang-golang-x-mod-dev, then runs the C++ side (gz_tlog_compare) and the Go side one after the
# other on the same machine, same core (taskset -c 0 when available), same work: append LEAVES
# (1,000,000) entries to an in-memory log, then PROOFS inclusion and PROOFS consistency proofs
# at random indexes against the full tree. The C++ run then repeats the log in the real SQLite
# store. Writes WORK_DIR/section-tlog.md and .json; the figures are ratios of one run.
set -euo pipefail
COMPARE=$(realpath "$1")
WORK=$(realpath "$2")
LEAVES=${3:-1000000}
PROOFS=${4:-100000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$WORK/tlog"
PIN=()
command -v taskset >/dev/null && PIN=(taskset -c 0)

GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$WORK/tlog/gocache GOPROXY=off GOFLAGS= \
  go build -o "$WORK/tlog/tlog_compare_go" "$HERE/tlog_compare.go"

echo "bench: tlog: C++ ($LEAVES leaves, $PROOFS proofs each, then the SQLite store)" >&2
"${PIN[@]}" "$COMPARE" "$LEAVES" "$PROOFS" 7 "$WORK/tlog/store.db" >"$WORK/tlog/cpp.json"
echo "bench: tlog: Go reference" >&2
"${PIN[@]}" "$WORK/tlog/tlog_compare_go" "$LEAVES" "$PROOFS" 7 >"$WORK/tlog/go.json"
rm -f "$WORK/tlog/store.db"*

python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
cpp = json.load(open(f"{work}/tlog/cpp.json"))
go = json.load(open(f"{work}/tlog/go.json"))
out = {"leaves": cpp["leaves"], "proofs": cpp["proofs"], "cpp": cpp, "go": go, "ratios": {}}
md = [f"## Transparency log (issue #5)", "",
      f"{cpp['leaves']:,} entries in an in-memory log, {cpp['proofs']:,} random proofs of each kind against the full tree; "
      "C++ `src/tlog` and Go's reference `golang.org/x/mod/sumdb/tlog` (Debian 0.7.0) doing the same work in the same run, "
      "one after the other on core 0. Target: ratio >= 1 on every line.", "",
      "| figure | C++ | Go reference | C++ / Go | target |", "|---|---|---|---|---|"]
for key, label in [("appends_per_s", "appends/s"), ("inclusion_per_s", "inclusion proofs/s"),
                   ("consistency_per_s", "consistency proofs/s")]:
    r = cpp[key] / go[key]
    out["ratios"][key] = r
    md.append(f"| {label} | {cpp[key]:,.0f} | {go[key]:,.0f} | {r:.2f} | {'PASS' if r >= 1 else 'FAIL'} |")
md += ["", "The same log in gongzhi's SQLite store (C++ only; durable, `synchronous=FULL`):", "",
       "| figure | value |", "|---|---|",
       f"| appends/s (`AppendEntryInTx`, 1,000 per transaction) | {cpp['store_appends_per_s']:,.0f} |",
       f"| signing the first checkpoint of {cpp['leaves']:,} entries (checks every new entry against the stored hashes) | {cpp['store_sign_s']:.2f} s |",
       f"| inclusion proofs/s through the service (read transaction + SQL) | {cpp['store_inclusion_per_s']:,.0f} |",
       f"| consistency proofs/s through the service | {cpp['store_consistency_per_s']:,.0f} |", ""]
same = cpp["root"] == go["root"]
md.append(f"Both built the same tree: root `{cpp['root']}` ({'equal' if same else 'DIFFERENT: a bug'}).")
out["same_root"] = same
open(f"{work}/section-tlog.md", "w").write("\n".join(md) + "\n")
json.dump(out, open(f"{work}/section-tlog.json", "w"), indent=1)
print("\n".join(md))
sys.exit(0 if same else 1)
PY
