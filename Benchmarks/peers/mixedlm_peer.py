"""statsmodels MixedLM peer for Benchmarks/forecast.sh: the same model as `stratum forecast hba1c`
(random intercept and slope, REML, t in years since each person's first result, same-day results
averaged) fitted to person,date,value CSV, then a forecast (mean) for everyone HORIZON days after
their last result, written to CSV.

    python mixedlm_peer.py IN.csv OUT.csv [HORIZON_DAYS]
"""
import json, sys, time, warnings

warnings.simplefilter("ignore")
import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

src, out = sys.argv[1], sys.argv[2]
horizon = int(sys.argv[3]) if len(sys.argv) > 3 else 180
t0 = time.time()
df = pd.read_csv(src)
df["day"] = (pd.to_datetime(df["date"], format="%Y-%m-%d") - pd.Timestamp("1970-01-01")).dt.days
df = df.groupby(["person", "day"], as_index=False)["value"].mean()
first = df.groupby("person")["day"].transform("min")
df["t"] = (df["day"] - first) / 365.25
t_read = time.time()
r = smf.mixedlm("value ~ t", df, groups=df["person"], re_formula="~t").fit(reml=True)
t_fit = time.time()
last = df.groupby("person").agg(last_day=("day", "max"), first_day=("day", "min"))
re = pd.DataFrame.from_dict(r.random_effects, orient="index")
re.columns = ["b0", "b1"]
last = last.join(re)
th = (last["last_day"] + horizon - last["first_day"]) / 365.25
fe = r.fe_params
last["forecast"] = fe.iloc[0] + last["b0"] + (fe.iloc[1] + last["b1"]) * th
last[["forecast"]].to_csv(out)
print(json.dumps({"patients": int(len(last)), "results": int(len(df)), "fe": [float(v) for v in fe],
                  "cov_re": r.cov_re.values.tolist(), "scale": float(r.scale), "converged": bool(r.converged),
                  "seconds_read": t_read - t0, "seconds_fit": t_fit - t_read, "seconds": time.time() - t0}))
