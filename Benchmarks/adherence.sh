#!/usr/bin/env bash
# PDC per PQA (issue #7): `stratum adherence pdc` against the same rules in pandas, vectorised
# (peers/pdc_peer.py), on synthetic fills (peers/pdc_fills.py, seed 42, written once under
# Benchmarks/work/adherence). Whole processes, interleaved, median of RUNS under /usr/bin/time -v
# (compare.py: wall time and peak RSS); then the two outputs are compared patient by patient
# (covered and treatment days of everyone in the denominator) and a difference is reported.
#
#   Benchmarks/run.sh adherence        SIZES="1000000 10000000" RUNS=3 Benchmarks/adherence.sh
set -euo pipefail
cd "$(dirname "$0")/.."
W=Benchmarks/work/adherence
BIN=${BIN:-.build/release/stratum}
PY=${STRATUM_PEER_PYTHON:-.venv-peers/bin/python}
SIZES=${SIZES:-10000000}
RUNS=${RUNS:-3}
mkdir -p $W
for n in $SIZES; do
  csv=$W/fills-$n.csv
  [ -f "$csv" ] || $PY Benchmarks/peers/pdc_fills.py "$n" "$csv"
  echo "== $n fills"
  python3 Benchmarks/compare.py -n "$RUNS" \
    "pandas=$PY Benchmarks/peers/pdc_peer.py $csv 2024-01-01 2024-12-31 $W/pandas-$n.csv" \
    "stratum=$BIN adherence pdc --input $csv --id PATIENT_ID --date DATE --supply DAYS_SUPPLY --drug DRUG --period 2024 --output $W/stratum-$n.csv"
  $BIN adherence pdc --input $csv --id PATIENT_ID --date DATE --supply DAYS_SUPPLY --drug DRUG --period 2024 --output $W/stratum-$n.csv
  python3 - "$W/pandas-$n.csv" "$W/stratum-$n.csv" <<'PY'
import csv, sys
a = {r["PATIENT_ID"]: (r["covered_days"], r["treatment_days"]) for r in csv.DictReader(open(sys.argv[1]))}
b = {r["PATIENT_ID"]: (r["covered_days"], r["treatment_days"]) for r in csv.DictReader(open(sys.argv[2])) if r["covered_days"]}
diff = sum(1 for k in a.keys() | b.keys() if a.get(k) != b.get(k))
print(f"compared {len(a)} patients in the denominator (pandas) with {len(b)} (stratum): {diff} differ")
PY
done
