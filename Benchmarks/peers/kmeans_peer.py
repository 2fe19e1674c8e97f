"""scikit-learn peer of `stratum cluster --method kmeans` (Benchmarks/cluster.sh).

Reads the same CSV (pandas' C parser), fits KMeans(algorithm="lloyd", n_init=RESTARTS,
random_state=0; both cores through OpenMP), writes id,cluster like stratum, and prints a JSON
line: read, fit and write seconds, inertia, iterations.

    python kmeans_peer.py INPUT.csv K RESTARTS OUTPUT.csv
"""
import json
import sys
import time

import pandas as pd
from sklearn.cluster import KMeans

path, k, restarts, output = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
t0 = time.perf_counter()
frame = pd.read_csv(path)
ids = frame.pop("id")
X = frame.to_numpy(dtype="float64")
del frame
t1 = time.perf_counter()
model = KMeans(n_clusters=k, n_init=restarts, algorithm="lloyd", random_state=0).fit(X)
t2 = time.perf_counter()
pd.DataFrame({"id": ids, "cluster": model.labels_ + 1}).to_csv(output, index=False)
t3 = time.perf_counter()
print(json.dumps({"read_seconds": t1 - t0, "fit_seconds": t2 - t1, "write_seconds": t3 - t2,
                  "inertia": float(model.inertia_), "iterations": int(model.n_iter_)}))
