"""A valid call of every public function and class of ``helpers``, for tests/test_every_callable.py.

One file per module of the package, named after it (``walk_calls/rnn.py`` for ``helpers.rnn``).
Each defines

- ``CALLS``: function or class name → a function of no arguments that returns the keyword
  arguments of one valid, small and fast call (fresh objects each time: the walk mutates them);
  a ``*args`` parameter is given as a tuple under its name, and the walk makes its first entry wrong;
- ``EXEMPT`` (optional): ``"name.argument"`` → {kind: reason} for a wrong kind of argument that
  the helper rightly accepts (such as inf in a loss history, which records a diverged run);
- ``RECORDS`` (optional): class name → reason, for result records (dataclasses a helper returns)
  that the walk builds once but does not feed wrong arguments: the helpers that take a record
  check its type.

The kinds are listed in tests/test_every_callable.py (``bad_values``).
"""
from __future__ import annotations

import importlib
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(module: str):
    """The walk_calls file of helpers.<module>, or None if there is none yet."""
    if not (HERE / f"{module}.py").is_file():
        return None
    return importlib.import_module(f"walk_calls.{module}")
