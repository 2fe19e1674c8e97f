#!/usr/bin/env python3
"""Synthetic fills for Benchmarks/adherence.sh: PATIENT_ID,DATE,DAYS_SUPPLY,DRUG, seed 42.

    pdc_fills.py N_FILLS OUT.csv

About 10 fills a patient in 2023-11..2024-12 (a few start before the period), 30- or 90-day
supplies, refills on time, early or late, a third of patients with a second drug of the class.
"""
import sys
import numpy as np
import pandas as pd

n, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(42)
patients = max(1, n // 10)
per = rng.poisson(10, patients) + 1
per = (per * n / per.sum()).round().astype(int).clip(1)
pid = np.repeat(np.arange(1, patients + 1), per)
k = np.concatenate([np.arange(c) for c in per])
supply = np.where(rng.random(patients) < 0.3, 90, 30)[pid - 1]
first = rng.integers(-60, 200, patients)[pid - 1]
gap = np.rint(rng.normal(3, 12, len(pid))).astype(int)
# Cumulative days per patient: the k-th fill after k supplies and the gaps so far.
step = supply + gap
cum = pd.Series(step).groupby(pid).cumsum().values - step
day = np.datetime64("2024-01-01") + (first + cum).astype("timedelta64[D]")
second = (rng.random(patients) < 0.33)[pid - 1] & (rng.random(len(pid)) < 0.4)
drug = np.where(second, "losartan", "lisinopril")
pd.DataFrame({"PATIENT_ID": pid, "DATE": pd.to_datetime(day).strftime("%Y-%m-%d"), "DAYS_SUPPLY": supply, "DRUG": drug}).to_csv(out, index=False)
print(f"{len(pid)} fills of {patients} patients → {out}", file=sys.stderr)
