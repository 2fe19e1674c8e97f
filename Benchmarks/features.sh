#!/usr/bin/env bash
# Feature extraction (issue #5): the `features` statement of Benchmarks/features/features.stratum
# (T2D members as of 2025-12-31: age, sex, seven HbA1c aggregates with slope and missingness over
# 730 days, two systolic-pressure aggregates, distinct drugs, visits by class) against the same
# table in hand-written SQL run by the sqlite3 shell (features/features.sql), on the synthetic
# stores of Benchmarks/cohort.sh (100,000 and 1,000,000 patients; made there, not here).
# Whole processes, interleaved, median of RUNS under /usr/bin/time -v (compare.py). Stratum's
# process also runs the T2D cohort; the features-only time is printed from its summary line.
# The two CSVs are compared (rows, and every value to 1e-9) and a difference is reported.
#
#   Benchmarks/run.sh features        SIZES=100000 RUNS=5 Benchmarks/features.sh
set -euo pipefail
cd "$(dirname "$0")/.."
W=Benchmarks/work
BIN=${BIN:-.build/release/stratum}
SIZES=${SIZES:-100000 1000000}
RUNS=${RUNS:-3}
mkdir -p $W/features-out
for n in $SIZES; do
  db=$W/cohort-$n.sqlite
  [ -f "$db" ] || { echo "no $db: run Benchmarks/cohort.sh (it makes the stores) first" >&2; continue; }
  echo "== $n patients"
  # One untimed run saves the T2D cohort the SQL reads, and shows Stratum's own step times.
  (cd Benchmarks/features && ../../$BIN run features.stratum --db ../../$db) | grep -E '^(cohort|features) '
  python3 Benchmarks/compare.py -n "$RUNS" \
    "sqlite3=sqlite3 $db < Benchmarks/features/features.sql" \
    "stratum=cd Benchmarks/features && ../../$BIN run features.stratum --db ../../$db --quiet"
  python3 - "$W/features-out/sqlite3.csv" "$W/features-out/stratum.csv" <<'PY'
import csv, sys, math
a = list(csv.reader(open(sys.argv[1]))); b = list(csv.reader(open(sys.argv[2])))
ha, hb = a[0], b[0]
cols = [c for c in ha if c in hb and c not in ("index_day", "index_date")]
ia = {c: ha.index(c) for c in cols}; ib = {c: hb.index(c) for c in cols}
diff = 0
if len(a) != len(b): print(f"rows differ: sqlite3 {len(a) - 1}, stratum {len(b) - 1}")
for ra, rb in zip(a[1:], b[1:]):
    for c in cols:
        x, y = ra[ia[c]], rb[ib[c]]
        if x == y: continue
        if x == "" or y == "" or abs(float(x) - float(y)) > 1e-9 * max(1, abs(float(x))): diff += 1
print(f"compared {len(a) - 1} rows × {len(cols)} columns: {diff} values differ")
PY
done
