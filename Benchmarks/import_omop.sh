#!/usr/bin/env bash
# OMOP CSV import: Stratum (from the zip, typed, with indexes) vs the sqlite3 shell's .import of
# the same CSV files (already unzipped, untyped, no indexes: about the limit of SQLite inserts).
set -euo pipefail
cd "$(dirname "$0")/.."
A=../shared/data/gibleed-omop53.zip
W=Benchmarks/work
rm -rf $W/gibleed && mkdir -p $W/gibleed && unzip -q -o $A -d $W/gibleed
T="PERSON OBSERVATION_PERIOD VISIT_OCCURRENCE CONDITION_OCCURRENCE DRUG_EXPOSURE MEASUREMENT OBSERVATION PROCEDURE_OCCURRENCE CONCEPT CONCEPT_ANCESTOR"
IMPORTS=$(for t in $T; do printf '.import %s %s\n' "$W/gibleed/$t.csv" "$(echo $t | tr A-Z a-z)"; done)
printf '.mode csv\n%s\n' "$IMPORTS" > $W/sqlite-import.sql
echo "== OMOP CSV import: $A"
python3 Benchmarks/compare.py -n ${RUNS:-3} --setup "rm -f $W/omop.sqlite $W/shell.sqlite" \
  "sqlite3-shell-import=sqlite3 $W/shell.sqlite < $W/sqlite-import.sql" \
  "stratum=.build/release/stratum import $A --db $W/omop.sqlite --quiet"
