"""RNN Gradients, Hands-On: the helpers the course notebooks import.

Submodules load on first use (``helpers.rnn``, ``helpers.widgets``, …), so ``import helpers`` stays
fast and matplotlib / ipywidgets are imported only by the modules that draw.
"""
import importlib
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def __getattr__(name: str):
    if not name.startswith("_") and (_HERE / f"{name}.py").is_file():
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__():
    return sorted(p.stem for p in _HERE.glob("*.py") if not p.stem.startswith("_"))
