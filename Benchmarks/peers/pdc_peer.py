#!/usr/bin/env python3
"""PDC per PQA in pandas, vectorised: the peer of `stratum adherence pdc` (Benchmarks/adherence.sh).

    pdc_peer.py FILLS.csv PERIOD_START PERIOD_END OUT.csv

Input columns PATIENT_ID, DATE (YYYY-MM-DD), DAYS_SUPPLY, DRUG. The same rules as Stratum
(docs/ADHERENCE.md), no inpatient stays: fills in the period; index date = first fill; fills on two
dates and a treatment period of 91 days or more; refills of the same drug shifted (end_i =
max(day_i, end_{i-1}) + supply_i, computed as a running maximum of day_i − supply before it);
drugs unioned by merging intervals; coverage cut at the period's end. Writes
PATIENT_ID,covered_days,treatment_days for the patients in the denominator, sorted.
"""
import sys, time
import numpy as np
import pandas as pd

path, start_s, end_s, out = sys.argv[1:5]
t0 = time.time()
df = pd.read_csv(path, dtype={"PATIENT_ID": "int64", "DAYS_SUPPLY": "int64", "DRUG": "string"})
epoch = np.datetime64("1970-01-01")
df["day"] = (pd.to_datetime(df["DATE"], format="%Y-%m-%d").values.astype("datetime64[D]") - epoch).astype("int64")
start = int((np.datetime64(start_s) - epoch).astype(int)); end = int((np.datetime64(end_s) - epoch).astype(int))
t_read = time.time() - t0

df = df[(df.day >= start) & (df.day <= end) & (df.DAYS_SUPPLY > 0)]
g = df.groupby("PATIENT_ID")
index = g.day.min().rename("index")
dates = g.day.nunique()
eligible = index[(dates >= 2) & (end - index + 1 >= 91)]
df = df[df.PATIENT_ID.isin(eligible.index)]

# Same-drug shifting: e_i = max(d_i, e_{i-1}) + s_i  ⇔  e_i − S_i = max(d_i − S_{i−1}, e_{i−1} − S_{i−1}).
df = df.sort_values(["PATIENT_ID", "DRUG", "day", "DAYS_SUPPLY"], kind="stable")
key = [df.PATIENT_ID, df.DRUG]
S = df.groupby(key).DAYS_SUPPLY.cumsum()
S_prev = S - df.DAYS_SUPPLY
E = (df.day - S_prev).groupby(key).cummax()
stop = E + S                      # exclusive end of the shifted supply
begin = stop - df.DAYS_SUPPLY
iv = pd.DataFrame({"p": df.PATIENT_ID.values, "b": begin.values, "e": np.minimum(stop.values - 1, end)})
iv = iv[iv.b <= end]

# Union across drugs: sort by start, merge overlapping or touching intervals.
iv = iv.sort_values(["p", "b"], kind="stable")
prev_max = iv.groupby("p").e.cummax().groupby(iv.p).shift()
new_block = prev_max.isna() | (iv.b > prev_max)
block = new_block.cumsum()
merged = iv.groupby(block).agg(p=("p", "first"), b=("b", "min"), e=("e", "max"))
covered = (merged.e - merged.b + 1).groupby(merged.p).sum()

result = pd.DataFrame({"treatment_days": end - eligible + 1})
result["covered_days"] = covered.reindex(result.index).fillna(0).astype("int64")
result.index.name = "PATIENT_ID"
result = result.sort_index()[["covered_days", "treatment_days"]]
result.to_csv(out)
print(f"pandas: {len(df)} fills of {len(result)} patients in the denominator; read {t_read:.2f} s, total {time.time() - t0:.2f} s", file=sys.stderr)
