#!/usr/bin/env bash
# Peak RSS while importing synthetic archives of 100,000 and 1,000,000 patients (target < 300 MB,
# independent of size). Set SIZES to change the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
W=Benchmarks/work
for n in ${SIZES:-100000 1000000}; do
  [ -f $W/synth-$n.tar.gz ] || .build/release/stratum synth --patients $n --seed 1 -o $W/synth-$n.tar.gz --quiet
  rm -f $W/synth-$n.sqlite
  echo "== import of $n synthetic patients ($(du -m $W/synth-$n.tar.gz | cut -f1) MB archive)"
  /usr/bin/time -f "wall %e s, peak RSS %M KB" .build/release/stratum import $W/synth-$n.tar.gz --db $W/synth-$n.sqlite --quiet
done
