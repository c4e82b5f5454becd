"""The course's data files: checked loaders for the files in ``data/``, and sliding windows.

Every loader hashes its file against ``data/SHA256SUMS`` before parsing it, so a missing or
edited file stops with a :class:`DataFileError` that says how to restore it. The synthetic tasks
(generated, not read) are in :mod:`helpers.tasks`.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path

import numpy as np

from ._validate import as_float_array, positive_int, received, text

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MANIFEST = "SHA256SUMS"


class DataFileError(ValueError):
    """A file in ``data/`` is missing, corrupt, malformed or unreadable; the message says how to restore
    it. A ValueError, as every clear error of the helpers."""


# The data files that a lesson's script computes (the rest come from scripts/make_data.py).
_MADE_BY = {"longterm_seeds.json": "scripts/longterm_seeds.py", "remedies_seeds.json": "scripts/remedies_seeds.py",
            "race.json": "scripts/race.py", "race_weights.npz": "scripts/race.py"}


def _restore_hint(name: str) -> str:
    if name in _MADE_BY:
        return (f"Restore it with `git checkout -- data/{name}` (or recompute it with `python {_MADE_BY[name]}`, "
                "then `python scripts/make_data.py manifest`; see data/README.md).")
    return (f"Restore it with `git checkout -- data/{name}` "
            "(or regenerate every data file with `python scripts/make_data.py`, see data/README.md).")


def _folder(data_dir: str | os.PathLike | None) -> Path:
    if data_dir is None:
        return DATA_DIR
    if not isinstance(data_dir, (str, os.PathLike)):
        raise ValueError(f"data_dir must be the path of a folder (a str or a pathlib.Path), or None for the "
                         f"course's data/; got {received(data_dir)}")
    return Path(data_dir)


def _manifest(data_dir: str | os.PathLike | None) -> dict[str, str]:
    """{file name: SHA-256 hex digest} from ``data_dir/SHA256SUMS`` (the format of sha256sum)."""
    path = _folder(data_dir) / MANIFEST
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        where = "" if data_dir is None else f" Is data_dir = {str(data_dir)!r} the folder that holds the data files?"
        raise DataFileError(f"The checksum manifest {path} is missing or unreadable.{where} "
                            f"{_restore_hint(MANIFEST)}") from None
    return {name: digest for digest, _, name in (line.partition("  ") for line in lines)}


def read_verified(name: str, data_dir: str | os.PathLike | None = None) -> bytes:
    """The bytes of ``data_dir/name`` (None: the course's ``data/``) after checking their SHA-256 against
    ``SHA256SUMS``; a missing, unlisted or corrupt file raises :class:`DataFileError` saying how to restore it."""
    name = text("name", name)
    manifest = _manifest(data_dir)
    folder = _folder(data_dir)
    expected = manifest.get(name)
    if expected is None:
        raise DataFileError(f"{folder / MANIFEST} lists no checksum for {name}; name must be one of the files "
                            f"it lists ({', '.join(manifest)}). {_restore_hint(MANIFEST)}")
    path = folder / name
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"The data file {path} is missing. {_restore_hint(name)}") from None
    except OSError as exc:
        raise DataFileError(f"The data file {path} could not be read ({exc}). {_restore_hint(name)}") from None
    digest = hashlib.sha256(content).hexdigest()
    if digest != expected:
        raise DataFileError(f"The data file {path} is corrupt: its SHA-256 is {digest}, but {MANIFEST} "
                            f"expects {expected}. {_restore_hint(name)}")
    return content


def _malformed(name: str, data_dir: str | os.PathLike | None, why: str) -> DataFileError:
    return DataFileError(f"The data file {_folder(data_dir) / name} is malformed: {why}. {_restore_hint(name)}")


def _read_text(name: str, data_dir: str | os.PathLike | None) -> str:
    """The verified file as UTF-8 text; DataFileError if it is not text or holds nothing."""
    try:
        content = read_verified(name, data_dir).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _malformed(name, data_dir, f"it is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not content.strip():
        raise _malformed(name, data_dir, "it is empty")
    return content


_FIELD_OK = {"text": lambda v: v != "", "flag": lambda v: v in ("0", "1"),
             "number": lambda v: np.isfinite(float(v)), "date": lambda v: not np.isnat(np.datetime64(v, "D"))}


def _csv_rows(name: str, data_dir: str | os.PathLike | None, columns: dict[str, str]) -> list[list[str]]:
    """The rows of a verified CSV file, header dropped, after checking that the header names
    ``columns`` (column → "text", "flag" (0 or 1), "number" (finite) or "date" (ISO)) and that every
    field of every row is one; else DataFileError naming the line."""
    try:
        rows = list(csv.reader(io.StringIO(_read_text(name, data_dir))))
    except csv.Error as exc:
        raise _malformed(name, data_dir, f"it is not a CSV file ({exc})") from None
    if rows[0] != list(columns):
        raise _malformed(name, data_dir, f"its first line must be the header {','.join(columns)}, "
                                         f"got {','.join(rows[0])[:60]!r}")
    if len(rows) == 1:
        raise _malformed(name, data_dir, "it has a header but no data rows")
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(columns):
            raise _malformed(name, data_dir, f"line {line} has {len(row)} fields, expected {len(columns)} "
                                             f"({','.join(columns)})")
        for (column, kind), value in zip(columns.items(), row, strict=True):
            try:
                ok = _FIELD_OK[kind](value)
            except ValueError:
                ok = False
            if not ok:
                raise _malformed(name, data_dir, f"line {line} has {value[:30]!r} in the column {column}, "
                                                 f"which must hold a {kind}")
    return rows[1:]


def check_data(data_dir: str | os.PathLike | None = None) -> list[str]:
    """Verify every file listed in ``data/SHA256SUMS``; return their names, or raise DataFileError."""
    names = list(_manifest(data_dir))
    for name in names:
        read_verified(name, data_dir)
    return names


# ----------------------------------------------------------------------------------------------
# Real series
# ----------------------------------------------------------------------------------------------

def load_stocks(symbol: str | None = None, data_dir: str | os.PathLike | None = None
                ) -> tuple[np.ndarray, np.ndarray] | dict[str, tuple[np.ndarray, np.ndarray]]:
    """Monthly stock prices of MSFT, AMZN, IBM, GOOG and AAPL, January 2000 to March 2010.

    Parameters
    ----------
    symbol : one ticker (case-insensitive), or None for all of them
    data_dir : folder holding the data files; None for the course's ``data/``

    Returns
    -------
    For one symbol: ``(dates, prices)``, dates (N,) datetime64[D] (first day of each month),
    prices (N,) float64 in US dollars. For ``symbol=None``: a dict {symbol: (dates, prices)} in the
    file's order. GOOG starts in August 2004 (its listing), so its N is smaller.
    """
    rows = _csv_rows("stocks.csv", data_dir, {"symbol": "text", "date": "date", "price": "number"})
    symbols = list(dict.fromkeys(r[0] for r in rows))
    if symbol is not None:
        if not isinstance(symbol, str) or symbol.upper() not in symbols:
            raise ValueError(f"symbol must be None or one of {', '.join(symbols)}; got {symbol!r}")
        symbols = [symbol.upper()]
    out = {}
    for s in symbols:
        mine = [r for r in rows if r[0] == s]
        out[s] = (np.array([r[1] for r in mine], dtype="datetime64[D]"),
                  np.array([r[2] for r in mine], dtype=np.float64))
    return out if symbol is None else out[symbols[0]]


def load_co2(data_dir: str | os.PathLike | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Monthly mean atmospheric CO₂ at Mauna Loa, March 1958 to December 2001.

    Monthly means of the Scripps weekly record; the five months without any weekly value were
    filled by linear interpolation (data/README.md says which).

    Returns
    -------
    dates (N,) datetime64[D] (first day of each month), co2 (N,) float64 in ppm (mole fraction,
    parts per million), filled (N,) bool: True where the month was interpolated.
    """
    rows = _csv_rows("co2_monthly.csv", data_dir, {"date": "date", "co2_ppm": "number", "filled": "flag"})
    return (np.array([r[0] for r in rows], dtype="datetime64[D]"),
            np.array([r[1] for r in rows], dtype=np.float64),
            np.array([r[2] == "1" for r in rows]))


def sliding_windows(series, width: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Cut a 1-D series into overlapping windows and the value ``horizon`` steps after each.

    Window i is ``series[i : i + width]`` and its target is ``series[i + width + horizon - 1]``,
    so horizon=1 predicts the next value.

    Parameters
    ----------
    series : (N,) finite numbers
    width, horizon : integers >= 1 with width + horizon <= N

    Returns
    -------
    inputs (M, width), targets (M,) float64 copies, M = N - width - horizon + 1. For the RNN,
    ``inputs.T[:, :, None]`` is time-major x (width, M, 1).
    """
    series = as_float_array("series", series, ("N",))
    width = positive_int("width", width)
    horizon = positive_int("horizon", horizon)
    n = series.shape[0]
    if width + horizon > n:
        raise ValueError(f"width + horizon must be <= len(series) = {n}; got width={width}, "
                         f"horizon={horizon} (sum {width + horizon})")
    m = n - width - horizon + 1
    inputs = np.lib.stride_tricks.sliding_window_view(series, width)[:m]
    return inputs.copy(), series[width + horizon - 1:].copy()


def load_corpus(data_dir: str | os.PathLike | None = None) -> list[str]:
    """The committed corpus, data/corpus.txt: ``tasks.make_corpus(**tasks.CORPUS_ARGS)``, one sentence a line."""
    return _read_text("corpus.txt", data_dir).splitlines()
