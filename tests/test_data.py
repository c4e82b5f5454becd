"""The data files and helpers.data: checksums and their error messages, loaders checked against an
independent parse of the CSVs, the corpus and its generator, and the long-range task generators
checked against the function of the inputs each is meant to compute."""
import csv
import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

import helpers.data as hd

DATA = Path(__file__).resolve().parent.parent / "data"
FILES = ["co2_monthly.csv", "corpus.txt", "stocks.csv"]


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


LOADERS = {"stocks.csv": hd.load_stocks, "co2_monthly.csv": hd.load_co2, "corpus.txt": hd.load_corpus}


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
    assert "scripts/make_data.py" in msg
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
    assert np.all(np.isfinite(co2)) and 310 < co2.min() and co2.max() < 375
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
# Corpus
# ---------------------------------------------------------------------------------------------

def parse(sentence):
    """(country, language, gap) read off a sentence, without helpers.data's internals."""
    words = sentence.split()
    assert words[:4] == ["i", "grew", "up", "in"] and words[5] == "and"
    assert words[-6:-2] == ["so", "i", "speak", "fluent"] and words[-1] == "."
    country, language = words[4], words[-2]
    return country, language, len(words) - 2 - 4 - 1     # tokens strictly between index 4 and -2


LANGUAGE_OF = {"france": "french", "spain": "spanish", "italy": "italian", "germany": "german",
               "japan": "japanese", "greece": "greek", "russia": "russian", "sweden": "swedish"}


def test_committed_corpus_is_the_documented_generator_output():
    assert hd.CORPUS_ARGS == {"n_sentences": 400, "gap_range": (5, 24), "seed": 2024}
    assert "make_corpus(n_sentences=400, gap_range=(5, 24), seed=2024)" in (DATA / "README.md").read_text()
    text = (DATA / "corpus.txt").read_text(encoding="utf-8")
    assert text == "\n".join(hd.make_corpus(400, (5, 24), 2024)) + "\n"
    assert hd.load_corpus() == text.splitlines()
    assert len(text.encode()) < 50_000


def test_committed_corpus_content():
    sentences = hd.load_corpus()
    assert len(sentences) == 400
    parsed = [parse(s) for s in sentences]
    assert all(LANGUAGE_OF[c] == lang for c, lang, _ in parsed)
    assert {g for _, _, g in parsed} == set(range(5, 25))           # every gap in the range occurs
    assert {c for c, _, _ in parsed} == set(LANGUAGE_OF)
    fillers = {w for s in sentences for w in s.split()[6:-6]}
    assert fillers <= set(hd.FILLERS) and not fillers & (set(LANGUAGE_OF) | set(LANGUAGE_OF.values()))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 30), low=st.integers(5, 30), extra=st.integers(0, 10), seed=st.integers(0, 2**32))
def test_make_corpus_gap_answer_and_determinism(n, low, extra, seed):
    sentences = hd.make_corpus(n, (low, low + extra), seed)
    assert len(sentences) == n and sentences == hd.make_corpus(n, [low, low + extra], seed)
    for s in sentences:
        country, language, gap = parse(s)
        assert LANGUAGE_OF[country] == language and low <= gap <= low + extra


def test_make_corpus_exact_gap_and_seed_changes_output():
    assert all(parse(s)[2] == 9 for s in hd.make_corpus(50, (9, 9), 1))
    assert hd.make_corpus(50, (5, 20), 1) != hd.make_corpus(50, (5, 20), 2)


@pytest.mark.parametrize("args, message", [
    ((0, (5, 9), 0), r"n_sentences must be an integer >= 1, got 0"),
    ((10, (4, 9), 0), r"gap_range\[0\] must be an integer >= 5, got 4"),
    ((10, (5, 9.0), 0), r"gap_range\[1\] must be an integer >= 5, got 9.0"),
    ((10, (9, 5), 0), r"gap_range must have low <= high; got \(9, 5\)"),
    ((10, 7, 0), r"gap_range must be a pair \(low, high\) of integers >= 5; got 7"),
    ((10, (5, 9), -1), r"seed must be an integer >= 0, got -1"),
])
def test_make_corpus_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        hd.make_corpus(*args)


def test_encode_answer_and_next_targets():
    sentences = hd.load_corpus()[:5]
    x, y = hd.encode(sentences)
    lengths = [len(s.split()) for s in sentences]
    T, V = max(lengths), len(hd.VOCAB)
    assert x.shape == (T, 5, V) and x.dtype == np.float64 and y.shape == (T, 5) and y.dtype == np.int64
    ids, y_next = hd.encode(sentences, one_hot=False, targets="next")
    assert ids.shape == (T, 5) and ids.dtype == np.int64
    for b, s in enumerate(sentences):
        words, L = s.split(), lengths[b]
        assert [hd.VOCAB[i] for i in ids[:L, b]] == words and np.all(ids[L:, b] == -1)
        np.testing.assert_array_equal(x[:L, b], np.eye(V)[ids[:L, b]])
        assert np.all(x[L:, b] == 0)
        # "answer": one target, at the step of "fluent", naming the language
        assert list(np.flatnonzero(y[:, b] >= 0)) == [L - 3] and words[L - 3] == "fluent"
        assert hd.VOCAB[y[L - 3, b]] == LANGUAGE_OF[words[4]]
        # "next": every step but the last predicts the next word
        assert [hd.VOCAB[i] for i in y_next[:L - 1, b]] == words[1:] and np.all(y_next[L - 1:, b] == -1)
    assert hd.decode(x) == sentences and hd.decode(ids) == sentences


def test_encode_targets_work_with_the_rnn_loss():
    from helpers.rnn import rnn_loss_and_grads
    x, y = hd.encode(hd.load_corpus()[:4])
    V, H = len(hd.VOCAB), 6
    rng = np.random.default_rng(0)
    params = {"W_xh": rng.normal(size=(H, V)) * 0.1, "W_hh": np.zeros((H, H)), "b_h": np.zeros(H),
              "W_hy": np.zeros((V, H)), "b_y": np.zeros(V)}
    loss, _ = rnn_loss_and_grads(params, x, y, loss="softmax")
    assert loss == pytest.approx(np.log(V))              # uniform prediction, one target a sequence


@pytest.mark.parametrize("args, message", [
    ((["i grew up in mars"],),
     r"sentences\[0\] must be non-empty and use only words of VOCAB; got unknown words \['mars'\]"),
    (([],), r"sentences must be a non-empty list of strings"),
    (("i grew up",), r"sentences must be a non-empty list of strings"),
    ((None,), r"sentences must be a non-empty list of strings; got None"),
    (([["i", "grew"]],), r"sentences\[0\] must be a string of words separated by spaces, got \['i', 'grew'\]"),
    ((["i grew"], True, "all"), r"targets must be 'answer' or 'next'; got 'all'"),
])
def test_encode_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        hd.encode(*args)


def test_decode_rejects_bad_input():
    with pytest.raises(ValueError, match=r"x must be int ids of shape \(T, B\) or one-hot of shape \(T, B, 41\); "
                                         r"got dtype float64, shape \(3, 2\)"):
        hd.decode(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"x must hold token ids in 0 … 40 \(or -1 for padding\); got values from -2 to 41"):
        hd.decode(np.array([[0, 41], [-2, 1]]))


@pytest.mark.parametrize("gap", [5, 6, 17, 40])
def test_clue_task_fixed_gap(gap):
    x, y = hd.clue_task(gap, 64, seed=3)
    T, V = gap + 5, len(hd.VOCAB)
    assert x.shape == (T, 64, V) and x.dtype == np.float64 and y.shape == (T, 64) and y.dtype == np.int64
    assert np.all(y[:-1] == -1)
    for sentence, answer in zip(hd.decode(x), y[-1]):
        country, language, g = parse(sentence + " " + hd.VOCAB[answer] + " .")
        assert g == gap and LANGUAGE_OF[country] == language
    ids, y2 = hd.clue_task(gap, 64, seed=3, one_hot=False)
    np.testing.assert_array_equal(x, np.eye(V)[ids])
    np.testing.assert_array_equal(y, y2)
    x3, y3 = hd.clue_task(gap, 64, seed=4)
    assert not np.array_equal(x3, x)


@pytest.mark.parametrize("args, message", [
    ((4, 8, 0), r"gap must be an integer >= 5, got 4"),
    ((5.0, 8, 0), r"gap must be an integer >= 5, got 5.0"),
    ((5, 0, 0), r"batch must be an integer >= 1, got 0"),
    ((5, 8, "a"), r"seed must be an integer >= 0, got 'a'"),
])
def test_clue_task_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        hd.clue_task(*args)


# ---------------------------------------------------------------------------------------------
# Long-range tasks
# ---------------------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(T=st.integers(2, 60), B=st.integers(1, 20), seed=st.integers(0, 2**32))
def test_adding_problem(T, B, seed):
    x, y = hd.adding_problem(T, B, seed)
    assert x.shape == (T, B, 2) and y.shape == (T, B, 1) and x.dtype == y.dtype == np.float64
    assert np.all((x[..., 0] >= 0) & (x[..., 0] < 1))
    assert np.all(np.isnan(y[:-1]))
    for b in range(B):
        marked = np.flatnonzero(x[:, b, 1])
        assert set(x[:, b, 1]) <= {0.0, 1.0} and len(marked) == 2
        assert marked[0] < T // 2 <= marked[1]
        assert y[-1, b, 0] == pytest.approx(x[marked[0], b, 0] + x[marked[1], b, 0], abs=1e-15)
    x2, y2 = hd.adding_problem(T, B, seed)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)


def test_adding_problem_seed_and_marker_spread():
    x, _ = hd.adding_problem(20, 2000, seed=0)
    assert not np.array_equal(x, hd.adding_problem(20, 2000, seed=1)[0])
    positions = np.nonzero(x[..., 1].T)[1]               # every position in each half gets used
    assert set(positions) == set(range(20))


def test_adding_baseline_mse_matches_monte_carlo():
    assert hd.adding_baseline_mse() == pytest.approx(1 / 6, abs=1e-15)
    _, y = hd.adding_problem(10, 200_000, seed=5)
    s = y[-1, :, 0]
    assert np.mean((s - 1.0) ** 2) == pytest.approx(1 / 6, abs=3e-3)      # SE ≈ 0.0004
    assert np.mean((s - s.mean()) ** 2) == pytest.approx(1 / 6, abs=3e-3)  # and 1.0 is the best constant
    assert s.mean() == pytest.approx(1.0, abs=5e-3)


def test_adding_constant_answer_gives_half_the_baseline_as_helpers_loss():
    from helpers.rnn import output_loss
    _, y = hd.adding_problem(8, 100_000, seed=6)
    loss, _ = output_loss(np.ones_like(y), y, "mse")
    assert loss == pytest.approx(hd.adding_baseline_mse() / 2, abs=2e-3)


@settings(max_examples=30, deadline=None)
@given(T=st.integers(1, 40), B=st.integers(1, 20), n=st.integers(2, 8), seed=st.integers(0, 2**32))
def test_copy_first_symbol(T, B, n, seed):
    x, y = hd.copy_first_symbol(T, B, seed, n_symbols=n)
    assert x.shape == (T, B, n) and x.dtype == np.float64 and y.shape == (T, B) and y.dtype == np.int64
    assert np.all(x.sum(axis=-1) == 1) and set(np.unique(x)) <= {0.0, 1.0}
    assert np.all(y[:-1] == -1)
    np.testing.assert_array_equal(y[-1], [np.flatnonzero(x[0, b])[0] for b in range(B)])
    np.testing.assert_array_equal(x, hd.copy_first_symbol(T, B, seed, n_symbols=n)[0])


@pytest.mark.parametrize("make", [lambda s: hd.copy_first_symbol(20, 16, s), lambda s: hd.temporal_order(20, 16, s)])
def test_long_range_tasks_follow_their_seed(make):
    x0, y0 = make(0)
    x1, y1 = make(1)
    assert not np.array_equal(x0, x1) and not np.array_equal(y0[-1], y1[-1])
    np.testing.assert_array_equal(x1, make(1)[0])


def test_copy_first_symbol_distractors_use_the_whole_alphabet():
    x, y = hd.copy_first_symbol(30, 500, seed=0, n_symbols=5)
    assert set(x[1:].argmax(-1).ravel()) == set(range(5)) and set(y[-1]) == set(range(5))
    assert hd.accuracy(x[-1:], y[-1:]) < 0.3                # "repeat the last input" ≈ chance


@settings(max_examples=30, deadline=None)
@given(T=st.integers(2, 40), B=st.integers(1, 20), seed=st.integers(0, 2**32))
def test_temporal_order(T, B, seed):
    x, y = hd.temporal_order(T, B, seed)
    assert x.shape == (T, B, 6) and x.dtype == np.float64 and y.shape == (T, B) and y.dtype == np.int64
    assert np.all(x.sum(axis=-1) == 1) and np.all(y[:-1] == -1)
    symbols = x.argmax(-1)
    for b in range(B):
        relevant = np.flatnonzero(symbols[:, b] < 2)      # the X / Y steps
        assert len(relevant) == 2 and relevant[0] < T // 2 <= relevant[1]
        first, second = symbols[relevant, b]
        assert y[-1, b] == {(0, 0): 0, (0, 1): 1, (1, 0): 2, (1, 1): 3}[(first, second)]
    np.testing.assert_array_equal(x, hd.temporal_order(T, B, seed)[0])


def test_temporal_order_uses_all_four_classes():
    _, y = hd.temporal_order(10, 400, seed=0)
    assert set(y[-1]) == {0, 1, 2, 3}


@pytest.mark.parametrize("fn, args, message", [
    (hd.adding_problem, (1, 4, 0), r"T must be an integer >= 2, got 1"),
    (hd.adding_problem, (10.0, 4, 0), r"T must be an integer >= 2, got 10.0"),
    (hd.adding_problem, (10, 0, 0), r"batch must be an integer >= 1, got 0"),
    (hd.adding_problem, (10, 4, None), r"seed must be an integer >= 0, got None"),
    (hd.temporal_order, (1, 4, 0), r"T must be an integer >= 2, got 1"),
    (hd.temporal_order, (10, True, 0), r"batch must be an integer >= 1, got True"),
    (hd.copy_first_symbol, (0, 4, 0), r"T must be an integer >= 1, got 0"),
    (hd.copy_first_symbol, (5, 4, 0, 1), r"n_symbols must be an integer >= 2, got 1"),
])
def test_tasks_reject_bad_input(fn, args, message):
    with pytest.raises(ValueError, match=message):
        fn(*args)


def test_accuracy_ignores_steps_without_target():
    o = np.zeros((3, 2, 4))
    o[2, 0, 1] = o[2, 1, 3] = o[0, 0, 2] = 1.0
    y = np.array([[2, -1], [-1, -1], [1, 0]])
    assert hd.accuracy(o, y) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match=r"y has no target"):
        hd.accuracy(o, np.full((3, 2), -1))
    with pytest.raises(ValueError, match=r"y must be integer class ids of shape \(3, 2\); "
                                         r"got dtype int64, shape \(2, 3\)"):
        hd.accuracy(o, y.T.copy())
    with pytest.raises(ValueError, match=r"o must have 3 dimensions"):
        hd.accuracy(o[0], y)


def test_import_is_light():
    import subprocess
    import sys
    code = ("import sys, helpers.data; "
            "print(sorted(m for m in ('matplotlib', 'pandas', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
