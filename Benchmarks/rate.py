#!/usr/bin/env python3
"""Reads `stratum import --json` on stdin and prints rows/s, MB/s and the phase times."""
import json
import sys

d = json.load(sys.stdin)["imports"][0]
rows = sum(d["rows"].values())
s = d["seconds"]
phases = ", ".join(f"{k} {v:.2f}s" for k, v in sorted(d.get("phases", {}).items(), key=lambda kv: -kv[1]))
print(f"stratum: {rows:,} rows in {s:.2f} s = {rows / s:,.0f} rows/s, {d['bytes'] / 1048576 / s:.1f} MB/s of archive ({phases})")
