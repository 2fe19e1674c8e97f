#!/usr/bin/env bash
# FHIR import: Stratum vs the decompression floor (gzip -dc) and a Python importer (tarfile +
# json + sqlite3 executemany) on the R4 dev archive.
set -euo pipefail
cd "$(dirname "$0")/.."
A=../shared/data/synthea-fhir-r4-dev.tar.gz
W=Benchmarks/work
echo "== FHIR R4 import: $A ($(du -m $A | cut -f1) MB, $(gzip -dc $A | wc -c | awk '{printf "%d", $1/1048576}') MB of JSON)"
python3 Benchmarks/compare.py -n ${RUNS:-3} --setup "rm -f $W/fhir.sqlite $W/peer.sqlite" \
  "gzip-floor=gzip -dc $A > /dev/null" \
  "stratum=.build/release/stratum import $A --db $W/fhir.sqlite --quiet" \
  "python-peer=python3 Benchmarks/peers/fhir_import.py $A $W/peer.sqlite"
.build/release/stratum import $A --db $W/fhir.sqlite --json --replace | python3 Benchmarks/rate.py
