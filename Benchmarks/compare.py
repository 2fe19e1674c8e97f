#!/usr/bin/env python3
"""Runs commands several times each, interleaved, under /usr/bin/time -v, and prints the median
wall time and peak RSS of each and the ratio of each to the first (the reference).

usage: compare.py [-n RUNS] [--setup CMD] NAME=CMD [NAME=CMD ...]
--setup runs before every single run (e.g. removing the output store), outside the timing.
"""
import argparse
import re
import statistics
import subprocess
import sys


def run_once(cmd):
    p = subprocess.run(["/usr/bin/time", "-v", "sh", "-c", cmd], capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-2000:] + p.stderr[-2000:])
        raise SystemExit(f"command failed: {cmd}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
    h, m, s = wall.groups()
    seconds = (int(h) * 3600 if h else 0) + int(m) * 60 + float(s)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    return seconds, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=3)
    ap.add_argument("--setup", default=None)
    ap.add_argument("commands", nargs="+")
    a = ap.parse_args()
    named = [c.split("=", 1) for c in a.commands]
    results = {name: [] for name, _ in named}
    for _ in range(a.n):
        for name, cmd in named:
            if a.setup:
                subprocess.run(a.setup, shell=True, check=True)
            results[name].append(run_once(cmd))
    ref = statistics.median(w for w, _ in results[named[0][0]])
    print(f"{'command':<28} {'median s':>9} {'min s':>7} {'max s':>7} {'peak RSS MB':>12} {'ratio to ' + named[0][0]:>22}")
    for name, _ in named:
        walls = [w for w, _ in results[name]]
        rss = max(r for _, r in results[name]) / 1024
        med = statistics.median(walls)
        print(f"{name:<28} {med:9.2f} {min(walls):7.2f} {max(walls):7.2f} {rss:12.0f} {med / ref:22.2f}")


if __name__ == "__main__":
    main()
