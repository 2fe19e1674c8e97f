#!/usr/bin/env bash
# `make bench`: every benchmark against its named peer, in one run each. Figures go to
# Benchmarks/RESULTS.md by hand, with the command that produced them.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
mkdir -p Benchmarks/work
[ "$which" = all ] || [ "$which" = fhir ] && Benchmarks/import_fhir.sh
[ "$which" = all ] || [ "$which" = omop ] && Benchmarks/import_omop.sh
[ "$which" = all ] || [ "$which" = rss ] && Benchmarks/import_rss.sh
[ "$which" = all ] || [ "$which" = cohort ] && Benchmarks/cohort.sh
[ "$which" = all ] || [ "$which" = caregaps ] && Benchmarks/caregaps.sh
[ "$which" = all ] || [ "$which" = forecast ] && Benchmarks/forecast.sh
[ "$which" = all ] || [ "$which" = cluster ] && Benchmarks/cluster.sh
[ "$which" = all ] || [ "$which" = features ] && Benchmarks/features.sh
[ "$which" = all ] || [ "$which" = adherence ] && Benchmarks/adherence.sh
exit 0
