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

from ._validate import as_float_array, positive_int

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MANIFEST = "SHA256SUMS"


class DataFileError(Exception):
    """A file in ``data/`` is missing, corrupt or unreadable; the message says how to restore it."""


# The data files that a lesson's script computes (the rest come from scripts/make_data.py).
_MADE_BY = {"longterm_seeds.json": "scripts/longterm_seeds.py", "remedies_seeds.json": "scripts/remedies_seeds.py"}


def _restore_hint(name: str) -> str:
    if name in _MADE_BY:
        return (f"Restore it with `git checkout -- data/{name}` (or recompute it with `python {_MADE_BY[name]}`, "
                "then `python scripts/make_data.py manifest`; see data/README.md).")
    return (f"Restore it with `git checkout -- data/{name}` "
            "(or regenerate every data file with `python scripts/make_data.py`, see data/README.md).")


def _folder(data_dir: str | os.PathLike | None) -> Path:
    return DATA_DIR if data_dir is None else Path(data_dir)


def _manifest(folder: Path) -> dict[str, str]:
    """{file name: SHA-256 hex digest} from ``folder/SHA256SUMS`` (the format of sha256sum)."""
    try:
        lines = (folder / MANIFEST).read_text(encoding="utf-8").splitlines()
    except OSError:
        raise DataFileError(f"The checksum manifest {folder / MANIFEST} is missing or unreadable. "
                            f"{_restore_hint(MANIFEST)}") from None
    return {name: digest for digest, _, name in (line.partition("  ") for line in lines)}


def read_verified(name: str, data_dir: str | os.PathLike | None = None) -> bytes:
    """The bytes of ``data_dir/name`` (None: the course's ``data/``) after checking their SHA-256 against
    ``SHA256SUMS``; a missing, unlisted or corrupt file raises :class:`DataFileError` saying how to restore it."""
    folder = _folder(data_dir)
    expected = _manifest(folder).get(name)
    if expected is None:
        raise DataFileError(f"{folder / MANIFEST} lists no checksum for {name}. {_restore_hint(MANIFEST)}")
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


def _csv_rows(name: str, data_dir: str | os.PathLike | None) -> list[list[str]]:
    """The rows of a verified CSV file, header dropped (the checksum pins the columns)."""
    return list(csv.reader(io.StringIO(read_verified(name, data_dir).decode("utf-8"))))[1:]


def check_data(data_dir: str | os.PathLike | None = None) -> list[str]:
    """Verify every file listed in ``data/SHA256SUMS``; return their names, or raise DataFileError."""
    names = list(_manifest(_folder(data_dir)))
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
    rows = _csv_rows("stocks.csv", data_dir)
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
    rows = _csv_rows("co2_monthly.csv", data_dir)
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
    return read_verified("corpus.txt", data_dir).decode("utf-8").splitlines()
