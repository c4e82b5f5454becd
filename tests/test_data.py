"""The data files and helpers.data: checksums and their error messages, loaders checked against an
independent parse of the CSVs, sliding windows, and the committed corpus as the output of its
documented generator. (The synthetic tasks are in test_tasks.py.)"""
import csv
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import helpers.data as hd
from helpers import longterm, race, remedies, tasks

DATA = Path(__file__).resolve().parent.parent / "data"
FILES = ["co2_monthly.csv", "corpus.txt", "longterm_seeds.json", "race.json", "race_weights.npz",
         "remedies_seeds.json", "stocks.csv"]


# The files a lesson's script computes: their restore hint names that script.
SCRIPT = {"longterm_seeds.json": "scripts/longterm_seeds.py", "remedies_seeds.json": "scripts/remedies_seeds.py",
          "race.json": "scripts/race.py", "race_weights.npz": "scripts/race.py"}


def csv_rows(name):
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


# ---------------------------------------------------------------------------------------------
# Checksums
# ---------------------------------------------------------------------------------------------

def test_manifest_lists_every_file_with_its_sha256():
    lines = (DATA / "SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ")
        listed[name] = digest
    assert sorted(listed) == FILES
    for name in FILES:
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == listed[name]
    assert hd.check_data() == FILES


def test_readme_describes_every_file():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in FILES + ["SHA256SUMS"]:
        assert f"`{name}`" in readme


@pytest.fixture
def data_copy(tmp_path):
    for name in FILES + ["SHA256SUMS"]:
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


LOADERS = {"stocks.csv": hd.load_stocks, "co2_monthly.csv": hd.load_co2, "corpus.txt": hd.load_corpus,
           "longterm_seeds.json": longterm.load_seed_runs, "remedies_seeds.json": remedies.load_seed_runs,
           "race.json": race.load_race,
           "race_weights.npz": lambda data_dir=None: race.load_trained("GRU", data_dir=data_dir)}


@pytest.mark.parametrize("name", FILES)
def test_copy_loads_like_the_original(data_copy, name):
    a, b = LOADERS[name](data_dir=data_copy), LOADERS[name]()
    if name == "stocks.csv":
        a, b = [a[k] for k in sorted(a)], [b[k] for k in sorted(b)]
    assert repr(a) == repr(b)


@pytest.mark.parametrize("name", FILES)
def test_corrupt_file_raises_naming_file_and_restore_command(data_copy, name):
    path = data_copy / name
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x01                  # one flipped bit in the middle
    path.write_bytes(bytes(content))
    with pytest.raises(hd.DataFileError) as err:
        LOADERS[name](data_dir=data_copy)
    msg = str(err.value)
    assert "corrupt" in msg and str(path) in msg and f"git checkout -- data/{name}" in msg
    assert SCRIPT.get(name, "scripts/make_data.py") in msg
    with pytest.raises(hd.DataFileError, match=re.escape(name)):
        hd.check_data(data_copy)


@pytest.mark.parametrize("name", FILES)
def test_missing_file_raises_naming_file_and_restore_command(data_copy, name):
    (data_copy / name).unlink()
    with pytest.raises(hd.DataFileError) as err:
        LOADERS[name](data_dir=data_copy)
    msg = str(err.value)
    assert "missing" in msg and str(data_copy / name) in msg and f"git checkout -- data/{name}" in msg


def test_missing_manifest_raises(data_copy):
    (data_copy / "SHA256SUMS").unlink()
    with pytest.raises(hd.DataFileError, match=r"SHA256SUMS.*git checkout -- data/SHA256SUMS"):
        hd.load_co2(data_dir=data_copy)


def test_file_not_in_manifest_raises(data_copy):
    sums = data_copy / "SHA256SUMS"
    sums.write_text("".join(line + "\n" for line in sums.read_text().splitlines() if "stocks" not in line))
    with pytest.raises(hd.DataFileError, match=r"no checksum for stocks\.csv"):
        hd.load_stocks(data_dir=data_copy)


def test_default_data_dir_is_next_to_the_package():
    assert hd.DATA_DIR == DATA


# ---------------------------------------------------------------------------------------------
# Real series, against an independent csv parse
# ---------------------------------------------------------------------------------------------

def test_stocks_match_the_csv():
    rows = csv_rows("stocks.csv")
    assert rows[0] == ["symbol", "date", "price"] and len(rows) == 561
    everything = hd.load_stocks()
    assert list(everything) == ["MSFT", "AMZN", "IBM", "GOOG", "AAPL"]
    assert sum(len(d) for d, _ in everything.values()) == 560
    for symbol, (dates, prices) in everything.items():
        mine = [r for r in rows[1:] if r[0] == symbol]
        assert dates.dtype == np.dtype("datetime64[D]") and prices.dtype == np.float64
        assert dates.shape == prices.shape == (len(mine),)
        assert [str(d) for d in dates] == [r[1] for r in mine]
        assert prices.tolist() == [float(r[2]) for r in mine]
        months = dates.astype("datetime64[M]")
        assert np.all(np.diff(months) == np.timedelta64(1, "M"))     # one row a month, no holes
        assert np.all(dates == months.astype("datetime64[D]"))       # first of the month
    dates, prices = hd.load_stocks("AAPL")
    assert (str(dates[0]), prices[0]) == (rows[-123][1], float(rows[-123][2]))
    assert (str(dates[-1]), prices[-1]) == ("2010-03-01", float(rows[-1][2]))
    assert str(hd.load_stocks("goog")[0][0]) == "2004-08-01"
    assert (str(everything["MSFT"][0][0]), everything["MSFT"][1][0]) == ("2000-01-01", 39.81)


def test_co2_matches_the_csv():
    rows = csv_rows("co2_monthly.csv")
    assert rows[0] == ["date", "co2_ppm", "filled"] and len(rows) == 527
    dates, co2, filled = hd.load_co2()
    assert dates.dtype == np.dtype("datetime64[D]") and co2.dtype == np.float64 and filled.dtype == bool
    assert dates.shape == co2.shape == filled.shape == (526,)
    assert [str(d) for d in dates] == [r[0] for r in rows[1:]]
    assert co2.tolist() == [float(r[1]) for r in rows[1:]]
    assert (str(dates[0]), co2[0]) == ("1958-03-01", 316.10)
    assert (str(dates[-1]), co2[-1]) == ("2001-12-01", float(rows[-1][1]))
    assert np.all(np.diff(dates.astype("datetime64[M]")) == np.timedelta64(1, "M"))
    assert [str(d)[:7] for d in dates[filled]] == ["1958-06", "1958-10", "1964-02", "1964-03", "1964-04"]
    assert np.all(np.isfinite(co2)) and co2.min() > 310 and co2.max() < 375
    i = np.flatnonzero(filled)[0]                       # a filled month lies between its neighbours
    assert co2[i] == pytest.approx((co2[i - 1] + co2[i + 1]) / 2, abs=0.006)


def test_load_stocks_rejects_unknown_symbol():
    with pytest.raises(ValueError, match=r"symbol must be None or one of MSFT, AMZN, IBM, GOOG, AAPL; got 'TSLA'"):
        hd.load_stocks("TSLA")
    with pytest.raises(ValueError, match=r"got 3"):
        hd.load_stocks(3)


# ---------------------------------------------------------------------------------------------
# sliding_windows
# ---------------------------------------------------------------------------------------------

@settings(max_examples=50, deadline=None)
@given(n=st.integers(2, 40), width=st.integers(1, 10), horizon=st.integers(1, 5))
def test_sliding_windows_match_a_loop(n, width, horizon):
    assume(width + horizon <= n)
    series = np.random.default_rng(n).normal(size=n)
    inputs, targets = hd.sliding_windows(series, width, horizon)
    want_in = [series[i:i + width] for i in range(n) if i + width + horizon - 1 < n]
    want_out = [series[i + width + horizon - 1] for i in range(len(want_in))]
    np.testing.assert_array_equal(inputs, np.array(want_in).reshape(-1, width))
    np.testing.assert_array_equal(targets, want_out)
    assert inputs.dtype == np.float64 and inputs.flags.writeable and inputs.flags.c_contiguous


def test_sliding_windows_on_stock_prices():
    _, prices = hd.load_stocks("IBM")
    inputs, targets = hd.sliding_windows(prices, 30)
    assert inputs.shape == (123 - 30, 30) and targets.shape == (93,)
    assert targets[0] == prices[30] and np.all(inputs[-1] == prices[-31:-1])


@pytest.mark.parametrize("args, message", [
    (([1, 2, 3], 3), r"width \+ horizon must be <= len\(series\) = 3; got width=3, horizon=1"),
    (([1, 2, 3], 0), r"width must be an integer >= 1, got 0"),
    (([1, 2, 3], 1.5), r"width must be an integer >= 1, got 1.5"),
    (([1, 2, 3], 1, 0), r"horizon must be an integer >= 1, got 0"),
    (([[1, 2], [3, 4]], 1), r"series must have 1 dimensions with shape \(N,\), got 2 dimensions"),
    (([1, np.nan, 3], 1), r"series contains NaN or inf"),
])
def test_sliding_windows_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        hd.sliding_windows(*args)


# ---------------------------------------------------------------------------------------------
# The committed corpus
# ---------------------------------------------------------------------------------------------

def test_committed_corpus_is_the_documented_generator_output():
    assert tasks.CORPUS_ARGS == {"n_sentences": 400, "gap_range": (5, 24), "seed": 2024}
    assert "make_corpus(n_sentences=400, gap_range=(5, 24), seed=2024)" in (DATA / "README.md").read_text()
    text = (DATA / "corpus.txt").read_text(encoding="utf-8")
    assert text == "\n".join(tasks.make_corpus(400, (5, 24), 2024)) + "\n"
    assert hd.load_corpus() == text.splitlines()
    assert len(text.encode()) < 50_000


@pytest.mark.parametrize("module", ["data", "tasks"])
def test_import_is_light(module):
    code = (f"import sys, helpers.{module}; "
            "print(sorted(m for m in ('matplotlib', 'pandas', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------------------------------------
# Issue #16: a wrong data_dir, and files whose checksum matches but whose contents are malformed
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data_dir", [3, 2.5, b"data", ["data"]])
def test_data_dir_must_be_a_path(data_dir):
    with pytest.raises(ValueError, match="data_dir must be the path of a folder"):
        hd.load_stocks(data_dir=data_dir)


def test_a_folder_without_a_manifest_names_data_dir(tmp_path):
    with pytest.raises(hd.DataFileError, match="Is data_dir = .* the folder that holds the data files"):
        hd.load_co2(data_dir=tmp_path)


def _folder_with(tmp_path, name, content: bytes):
    """A data folder holding only ``name`` with ``content`` and a SHA256SUMS that matches it."""
    (tmp_path / name).write_bytes(content)
    (tmp_path / "SHA256SUMS").write_text(f"{hashlib.sha256(content).hexdigest()}  {name}\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name, content, why", [
    ("stocks.csv", b"symbol,date,price\nMSFT,2000-01-01\n", "line 2 has 2 fields, expected 3"),
    ("stocks.csv", b"symbol,date,price\nMSFT,2000-01-01,cheap\n", "line 2 has 'cheap' in the column price"),
    ("stocks.csv", b"symbol,date,price\nMSFT,2000-13-01,1.0\n", "line 2 has '2000-13-01' in the column date"),
    ("stocks.csv", b"symbol,date,price\nMSFT,2000-01-01,nan\n", "line 2 has 'nan' in the column price"),
    ("stocks.csv", b"symbol,price\nMSFT,1.0\n", "its first line must be the header symbol,date,price"),
    ("stocks.csv", b"symbol,date,price\n", "it has a header but no data rows"),
    ("stocks.csv", b"", "it is empty"),
    ("co2_monthly.csv", b"date,co2_ppm,filled\n1958-03-01,316.10,yes\n", "line 2 has 'yes' in the column filled"),
    ("co2_monthly.csv", b"\xff\xfe\x00junk\x80\x81", "it is not UTF-8 text"),
    ("corpus.txt", b"\x80\x81\x82", "it is not UTF-8 text"),
    ("corpus.txt", b"\n\n", "it is empty"),
])
def test_malformed_contents_with_a_matching_checksum_raise_data_file_error(tmp_path, name, content, why):
    folder = _folder_with(tmp_path, name, content)
    loader = {"stocks.csv": hd.load_stocks, "co2_monthly.csv": hd.load_co2, "corpus.txt": hd.load_corpus}[name]
    with pytest.raises(hd.DataFileError) as err:
        loader(data_dir=folder)
    msg = str(err.value)
    assert f"{folder / name} is malformed: {why}" in msg and f"git checkout -- data/{name}" in msg


def test_data_file_error_is_a_value_error():
    assert issubclass(hd.DataFileError, ValueError)


def test_read_verified_names_an_unknown_name():
    with pytest.raises(hd.DataFileError, match=r"no checksum for prices\.csv; name must be one of the files"):
        hd.read_verified("prices.csv")
    with pytest.raises(ValueError, match="name must be a string, got None"):
        hd.read_verified(None)
