#!/usr/bin/env python3
"""Compare simulated and live kill -> promotion times (issue 16 part 7).

    tools/failover_timing.py LIVE.csv SIM.csv [--column promoted_s]

Both CSVs come from `cachelab-live failover-timing` and `build/tools/cachelab_failover_sim` (same columns). Per node
timeout: n, median, p10, p90 of each side, the median's relative difference, and the two-sample Kolmogorov-Smirnov
statistic D with its p-value (asymptotic Kolmogorov distribution with the effective-size correction of Stephens,
as in Numerical Recipes' kstwo: lambda = (sqrt(ne) + 0.12 + 0.11/sqrt(ne)) * D, ne = n1 n2 / (n1 + n2)).
With --check MEDIAN_TOL P_MIN it exits 1 when a node timeout misses either bound.
"""
import argparse
import csv
import math
import sys
from collections import defaultdict


def quantile(xs, q):
    """Linear interpolation between order statistics (numpy's default)."""
    s = sorted(xs)
    pos = q * (len(s) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def ks_two_sample(a, b):
    a, b = sorted(a), sorted(b)
    i = j = 0
    d = 0.0
    while i < len(a) and j < len(b):
        x = min(a[i], b[j])
        while i < len(a) and a[i] <= x:
            i += 1
        while j < len(b) and b[j] <= x:
            j += 1
        d = max(d, abs(i / len(a) - j / len(b)))
    return d


def kolmogorov_q(lam):
    """P(K > lam) for the Kolmogorov distribution: 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 lam^2)."""
    if lam < 1e-3:
        return 1.0
    total, sign = 0.0, 1.0
    for k in range(1, 101):
        term = sign * 2.0 * math.exp(-2.0 * k * k * lam * lam)
        total += term
        if abs(term) < 1e-12:
            break
        sign = -sign
    return max(0.0, min(1.0, total))


def ks_p(d, n1, n2):
    ne = n1 * n2 / (n1 + n2)
    return kolmogorov_q((math.sqrt(ne) + 0.12 + 0.11 / math.sqrt(ne)) * d)


def read(path, column):
    out = defaultdict(list)
    with open(path) as f:
        for row in csv.DictReader(f):
            if row[column]:
                out[int(row["node_timeout_ms"])].append(float(row[column]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("live")
    ap.add_argument("sim")
    ap.add_argument("--column", default="promoted_s")
    ap.add_argument("--check", nargs=2, type=float, metavar=("MEDIAN_TOL", "P_MIN"))
    args = ap.parse_args()
    live, sim = read(args.live, args.column), read(args.sim, args.column)
    ok = True
    print(f"{args.column}: live vs sim")
    print(f"{'NT ms':>6} {'n live':>6} {'median':>7} {'p10':>6} {'p90':>6} | {'n sim':>5} {'median':>7} {'p10':>6} "
          f"{'p90':>6} | {'med diff':>8} {'KS D':>6} {'p':>6}")
    for nt in sorted(set(live) & set(sim)):
        a, b = live[nt], sim[nt]
        ma, mb = quantile(a, 0.5), quantile(b, 0.5)
        d = ks_two_sample(a, b)
        p = ks_p(d, len(a), len(b))
        diff = (mb - ma) / ma
        print(f"{nt:>6} {len(a):>6} {ma:>7.3f} {quantile(a, .1):>6.3f} {quantile(a, .9):>6.3f} | {len(b):>5} {mb:>7.3f} "
              f"{quantile(b, .1):>6.3f} {quantile(b, .9):>6.3f} | {diff:>+8.1%} {d:>6.3f} {p:>6.3f}")
        if args.check and (abs(diff) > args.check[0] or p <= args.check[1]):
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
