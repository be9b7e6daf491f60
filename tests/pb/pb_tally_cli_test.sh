#!/usr/bin/env bash
# `gongzhi pb-tally` end to end, on the real binary and real pabulib files (tests/pb/data/):
#   - the selected ids, one per line, equal the file's own `selected` column (read here with awk,
#     independently of the C++ reader), for a greedy election, a greedy-no-skip one and a Method
#     of Equal Shares election with ids like c1; and in the order the rule chose them;
#   - --explain gives the reasons with the numbers;
#   - bad input fails with exit code 1, the file and line, and nothing on stdout; bad usage with 2;
#   - the side-by-side rows of `--compare` for the smaller files are exactly those in
#     docs/participatory-budgeting.md (the table there is this command's output).
#
# Usage: pb_tally_cli_test.sh GONGZHI_BINARY SOURCE_DIR WORK_DIR   (registered in tests/CMakeLists.txt)
set -euo pipefail
bin=${1:?usage: pb_tally_cli_test.sh GONGZHI SOURCE_DIR WORK_DIR}
src=${2:?usage: pb_tally_cli_test.sh GONGZHI SOURCE_DIR WORK_DIR}
work=${3:?usage: pb_tally_cli_test.sh GONGZHI SOURCE_DIR WORK_DIR}
data="$src/tests/pb/data"
rm -rf "$work"
mkdir -p "$work"
fails=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

# The ids whose `selected` column is 1 or 2, sorted, straight from the file.
published() {
  tr -d '\r' <"$1" | awk -F';' '
    /^PROJECTS$/ { section = "p"; header = 1; next }
    /^VOTES$/ { section = "v"; next }
    section == "p" && header { for (i = 1; i <= NF; i++) col[$i] = i; header = 0; next }
    section == "p" && ($col["selected"] == 1 || $col["selected"] == 2) { print $col["project_id"] }' | sort
}

for case in "Poland_Warszawa_2019_Nadwisle.pb greedy none" \
            "Poland_Gdynia_2020_Dabrowa__small.pb greedy-no-skip none" \
            "Poland_Swiecie_2023.pb mes add-one" \
            "Netherlands_Assen_2024.pb mes add-one"; do
  set -- $case
  file=$1 rule=$2 completion=$3
  "$bin" pb-tally --rule "$rule" --completion "$completion" "$data/$file" >"$work/out.txt" 2>"$work/err.txt" \
    && rc=0 || rc=$?
  check "$file: --rule $rule --completion $completion exits 0" '[ "$rc" = 0 ] && [ ! -s "$work/err.txt" ]'
  published "$data/$file" >"$work/expected.txt"
  check "$file: the published outcome has projects" '[ -s "$work/expected.txt" ]'
  sort "$work/out.txt" | diff -u "$work/expected.txt" - >"$work/diff.txt" && same=1 || same=0
  check "$file: the selected ids equal the file's selected column" '[ "$same" = 1 ]' || cat "$work/diff.txt"
  "$bin" pb-tally --rule file "$data/$file" | diff -q - "$work/out.txt" >/dev/null && same=1 || same=0
  check "$file: --rule file takes the same rule from META" '[ "$same" = 1 ]'
done

# The order is the order of choice, and the ids are the file's own text.
order=$("$bin" pb-tally --rule greedy "$data/Poland_Warszawa_2019_Nadwisle.pb" | tr '\n' ' ')
check "greedy prints ids in the order chosen (by approvals)" '[ "$order" = "2093 2337 557 2195 " ]'
first=$("$bin" pb-tally --rule mes --completion add-one "$data/Poland_Swiecie_2023.pb" | head -1)
check "ids keep the file's format (c...)" '[[ "$first" =~ ^c[0-9]+$ ]]'

# --explain: reasons with numbers, for both rules.
"$bin" pb-tally --rule mes --completion add-one --explain "$data/Netherlands_Assen_2024.pb" >"$work/explain.txt"
check "MES --explain names the share per voter and add-one" \
  'grep -q "each of 84 voters had 2033.00 to spend (170772 in all, raised from 100000 by add-one" "$work/explain.txt"'
check "MES --explain gives the effective vote count of a winner" \
  'grep -q "^  3  PopUp Podium$" "$work/explain.txt" && grep -q "asked at most 167.44 of each (effective vote count 43.00" "$work/explain.txt"'
check "MES --explain says when a loser became unaffordable" \
  'grep -q "\[mes-unaffordable\] not selected: in round 1 its 19 supporters had 38627.00 left together, less than its cost 50000" "$work/explain.txt"'
"$bin" pb-tally --rule greedy --explain "$data/France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_Bellefontaine.pb" >"$work/explain.txt"
check "greedy --explain gives rank, approvals, cost and what was left" \
  'grep -q "\[over-budget\] not selected: ranked 3 of 10 with 20 approvals; costs 75000, more than the 0 left when its turn came" "$work/explain.txt"'
check "greedy --explain reads quoted names with doubled quotes" 'grep -q "Aménagement de cours \"OASIS\"" "$work/explain.txt"'

# Bad input: exit 1, the file and the line, nothing on stdout.
{ tr -d '\r' <"$data/Poland_Warszawa_2019_Nadwisle.pb" | sed 's/^\(2093;[^;]*\);/\1;;/'; } >"$work/broken.pb"
"$bin" pb-tally --rule greedy "$work/broken.pb" >"$work/out.txt" 2>"$work/err.txt" && rc=0 || rc=$?
check "a malformed file exits 1" '[ "$rc" = 1 ] && [ ! -s "$work/out.txt" ]'
check "the message names the file and the line" \
  'grep -q "^gongzhi pb-tally: .*broken.pb: line [0-9][0-9]*: the row has 8 fields but the header (line [0-9]*) has 7$" "$work/err.txt"' \
  || cat "$work/err.txt"
"$bin" pb-tally --rule greedy "$work/missing.pb" >"$work/out.txt" 2>"$work/err.txt" && rc=0 || rc=$?
check "a missing file exits 1 with a message" '[ "$rc" = 1 ] && grep -q "missing.pb: cannot read the file" "$work/err.txt"'
"$bin" pb-tally --rule file "$data/US_Stanford_Dataset_PB_Adler_2021_Employees_vote_knapsacks.pb" >"$work/out.txt" 2>"$work/err.txt" && rc=0 || rc=$?
check "--rule file on rule unknown exits 1 and asks for --rule" '[ "$rc" = 1 ] && grep -q "give --rule" "$work/err.txt"'
"$bin" pb-tally --rule lottery "$data/Netherlands_Assen_2024.pb" >"$work/out.txt" 2>&1 && rc=0 || rc=$?
check "an unknown rule is bad usage (exit 2)" '[ "$rc" = 2 ]'
"$bin" pb-tally --rule greedy --completion add-one "$data/Netherlands_Assen_2024.pb" >"$work/out.txt" 2>&1 && rc=0 || rc=$?
check "--completion with greedy is bad usage (exit 2)" '[ "$rc" = 2 ]'

# The comparison table in the docs is this command's output (rows of the files that take
# seconds, not minutes; the rest are checked the same way by hand when the rules change).
doc="$src/docs/participatory-budgeting.md"
for file in Netherlands_Amsterdam_643.pb Netherlands_Assen_2024.pb Poland_Czestochowa_2024_Grabowka.pb \
            Poland_Gdynia_2020_Dabrowa__small.pb Poland_Swiecie_2023.pb Poland_Warszawa_2019_Nadwisle.pb \
            Poland_Wieliczka_2023_Green_Budget.pb \
            US_Stanford_Dataset_PB_Adler_2021_Employees_vote_knapsacks.pb; do
  row=$("$bin" pb-tally --compare "$data/$file")
  check "docs table row for $file is the command's output" 'grep -qxF -- "$row" "$doc"' || echo "  expected: $row"
done

if [ "$fails" -gt 0 ]; then
  echo "pb_tally_cli_test: $fails check(s) failed"
  exit 1
fi
echo "pb_tally_cli_test: all checks passed"
