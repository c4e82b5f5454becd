"""Valid calls of helpers.data (see walk_calls/__init__.py)."""
import numpy as np

CALLS = {
    "DataFileError": lambda: {},
    "read_verified": lambda: {"name": "corpus.txt", "data_dir": None},
    "check_data": lambda: {"data_dir": None},
    "load_stocks": lambda: {"symbol": "IBM", "data_dir": None},
    "load_co2": lambda: {"data_dir": None},
    "sliding_windows": lambda: {"series": np.arange(6.0), "width": 2, "horizon": 1},
    "load_corpus": lambda: {"data_dir": None},
}

RECORDS = {"DataFileError": "an exception the loaders raise; nothing to validate"}
