#!/usr/bin/env python3
"""pandas_score.py -- the pandas baseline of the benchmark (issue 8).

What a user without acvtrack would write: read the observations CSV, take each indicator's latest
value up to YEAR, min-max it between the framework's worst and best bounds (clamped to 0-100,
contextual indicators not scored), then nested equal-weight means (action area, pillar, overall),
exactly as scripts/scoring.lua does. It keeps nothing, so every re-scoring re-reads the CSV.

Usage: pandas_score.py OBSERVATIONS.csv INDICATORS.csv YEAR
Prints the number of areas scored and the sum of their overall scores (checked against the C
baseline by bench/run.sh). Needs Debian's python3-pandas; run.sh skips it when that is missing.
"""
import sys

import pandas as pd


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    obs_path, ind_path, year = sys.argv[1], sys.argv[2], int(sys.argv[3])
    obs = pd.read_csv(obs_path)
    ind = pd.read_csv(ind_path)
    ind = ind[(ind["kind"] == "indicator") & (ind["direction"] != "contextual")]
    ind = ind.dropna(subset=["worst", "best"])
    ind = ind[ind["worst"] != ind["best"]]

    obs = obs[obs["period"] <= year]
    # the latest value of each (area, indicator) up to the year
    latest = obs.sort_values("period").drop_duplicates(["area", "indicator"], keep="last")
    df = latest.merge(ind, left_on="indicator", right_on="code", how="inner")
    df["score"] = (100.0 * (df["value"] - df["worst"]) / (df["best"] - df["worst"])).clip(0, 100)
    by_area = df.groupby(["area", "pillar", "action_area"], sort=False)["score"].mean()
    by_pillar = by_area.groupby(level=["area", "pillar"], sort=False).mean()
    overall = by_pillar.groupby(level="area", sort=False).mean()
    print("pandas_score: %d rows read, %d areas scored, sum of overall scores %.6f"
          % (len(obs), len(overall), overall.sum()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
