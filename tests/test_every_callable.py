"""The package's own guard against bad input: every public function and class of ``helpers`` is
called once validly (tests/walk_calls/), then once for each wrong version of each argument, one
argument at a time. A call passes if the helper

- returns (the wrong version was an equivalent input, such as a list for an array, or a value it
  rightly accepts), or
- raises ``ValueError`` (``DataFileError`` is one) whose message names the argument at fault;

and fails on any other exception (a raw TypeError, IndexError, KeyError, LinAlgError …), on a
warning that escapes (warnings are errors here, as in every test), and on a *silent acceptance*:
None, NaN, complex numbers, text or a bool where a number or an array belongs (and None for a
seed, which would make the run unrepeatable) must be refused.

A new public function cannot escape: ``test_every_public_callable_has_a_valid_call`` fails until
its module's walk_calls file has a valid call for it.
"""
from __future__ import annotations

import importlib
import inspect
import numbers
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import walk_calls

import helpers


@dataclass(frozen=True)
class Bad:
    """One wrong version of an argument: its kind, the value, and whether it must be refused."""

    kind: str
    value: Any
    must_reject: bool


def _number(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))


def _with_first(arr: np.ndarray, value) -> np.ndarray:
    out = np.array(arr, dtype=np.result_type(arr.dtype, type(value)) if arr.dtype.kind != "f" else arr.dtype)
    out.flat[0] = value
    return out


def bad_values(name: str, value: Any, default: Any) -> list[Bad]:
    """The wrong versions of ``value`` (the valid value of argument ``name``) that the walk tries."""
    none_ok = default is None and name not in ("seed",)
    bad = [] if none_ok else [Bad("None", None, True)]
    if isinstance(value, (bool, np.bool_)):
        return bad + [Bad("text", "no", True), Bad("number", 2, False)]
    if _number(value):
        is_int = isinstance(value, (int, np.integer))
        bad += [Bad("text", str(value), True), Bad("bool", True, True), Bad("nan", float("nan"), True),
                Bad("complex", complex(value, 1.0), True), Bad("zero", 0, False), Bad("negative", -1, False),
                Bad("numpy scalar", (np.int64 if is_int else np.float64)(value), False)]
        if is_int:
            bad += [Bad("fraction", value + 0.5, True)]
        else:
            bad += [Bad("inf", float("inf"), False), Bad("float32", np.float32(value), False),
                    Bad("huge", 1.7e308 if value >= 0 else -1.7e308, False), Bad("tiny", 1e-310, False)]
        return bad
    if isinstance(value, str):
        return bad + [Bad("unknown name", "no-such-name", False), Bad("number", 3, False)]
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiub":
        bad += [Bad("text", "abc", True), Bad("list", value.tolist(), False), Bad("extra axis", value[None], False),
                Bad("empty", value[:0] if value.ndim else value[None][:0], False)]
        if value.dtype.kind != "b":
            bad += [Bad("complex", value + 1j, True), Bad("nan", _with_first(value.astype(float), np.nan), True),
                    Bad("inf", _with_first(value.astype(float), np.inf), False),
                    Bad("float32", value.astype(np.float32), False)]
        if value.dtype.kind == "f" and np.isfinite(value).all():
            bad += [Bad("int dtype", np.round(value).astype(np.int64), False),
                    Bad("huge entry", _with_first(value, 1.7e308), False), Bad("tiny", value * 1e-310, False)]
        if value.ndim >= 1:
            bad += [Bad("one axis fewer", value[0], False)]
        if value.ndim >= 1 and value.shape[0] >= 2:
            bad += [Bad("shorter", value[:-1], False)]
        if value.ndim >= 2 and value.shape != value.T.shape:
            bad += [Bad("transposed", value.T, False)]
        return bad
    if isinstance(value, Mapping):
        bad += [Bad("text", "abc", True), Bad("empty", {}, False)]
        if value:
            first = next(iter(value))
            bad += [Bad("missing entry", {k: v for k, v in value.items() if k != first}, False),
                    Bad("None entry", {**value, first: None}, True)]
            if isinstance(value[first], np.ndarray) and value[first].dtype.kind == "f" and value[first].size:
                bad += [Bad("nan entry", {**value, first: _with_first(value[first], np.nan)}, True)]
        return bad
    if isinstance(value, (list, tuple)):
        bad += [Bad("text", "abc", True), Bad("empty", type(value)(), False)]
        if value and all(_number(v) for v in value):
            bad += [Bad("nan entry", type(value)([float("nan"), *value[1:]]), True),
                    Bad("text entry", type(value)(["a", *value[1:]]), True)]
        elif value:
            bad += [Bad("None entry", type(value)([None, *value[1:]]), True)]
        return bad
    # functions, records, figures, axes, caches: the type is what matters
    return bad + [Bad("text", "abc", True)]


def public_callables() -> list[str]:
    """"module.name" of every public function and class of every module of the package (a Protocol
    is a type for annotations, not something to call)."""
    out = []
    for info in pkgutil.iter_modules(helpers.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"helpers.{info.name}")
        out += [f"{info.name}.{k}" for k, v in vars(mod).items()
                if not k.startswith("_") and (inspect.isfunction(v) or inspect.isclass(v))
                and v.__module__ == mod.__name__ and not getattr(v, "_is_protocol", False)]
    return sorted(out)


def _entry(qualname: str):
    module, name = qualname.split(".")
    calls = walk_calls.load(module)
    if calls is None:
        return None, None, None
    return calls, getattr(importlib.import_module(f"helpers.{module}"), name), name


def _var_positional(fn: Callable) -> str | None:
    """The name of ``fn``'s ``*args`` parameter, if it has one."""
    try:
        params = inspect.signature(fn).parameters.values()
    except ValueError:                          # a builtin type, such as an exception class
        return None
    return next((p.name for p in params if p.kind is inspect.Parameter.VAR_POSITIONAL), None)


def _outcome(fn: Callable, kwargs: dict) -> tuple[str, str]:
    """("ok", "") or ("ValueError", message) or ("other", description). A ``*args`` parameter is
    given in ``kwargs`` as a tuple under its name."""
    kwargs = dict(kwargs)
    star = _var_positional(fn)
    args = tuple(kwargs.pop(star, ())) if star else ()
    try:
        with matplotlib.rc_context():           # a call that sets the course style leaves no trace
            fn(*args, **kwargs)
    except ValueError as exc:
        return "ValueError", str(exc)
    except Exception as exc:   # noqa: BLE001 - the walk reports every other exception as a failure
        return "other", f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        plt.close("all")
    return "ok", ""


def _names(message: str, arg: str) -> bool:
    """Whether ``message`` names ``arg`` as a word ("u" in "u must be", not in "must")."""
    return re.search(rf"(?<!\w){re.escape(arg)}(?!\w)", message) is not None


def failures(fn: Callable, make: Callable[[], dict], exempt: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Every failure of ``fn`` under the walk, one line each: ``make()`` gives a valid call's
    keyword arguments; ``exempt`` maps an argument to the kinds it rightly accepts."""
    kind, msg = _outcome(fn, make())
    if kind != "ok":
        return [f"the valid call fails: {msg}"]
    params = inspect.signature(fn).parameters
    star = _var_positional(fn)
    found = []
    for arg, value in make().items():
        default = params[arg].default if arg in params else inspect.Parameter.empty
        if arg == star:                         # *args: the first one is made wrong
            value, default = value[0], inspect.Parameter.empty
        for bad in bad_values(arg, value, default):
            if bad.kind in exempt.get(arg, {}):
                continue
            kwargs = make()
            kwargs[arg] = (bad.value, *kwargs[arg][1:]) if arg == star else bad.value
            kind, msg = _outcome(fn, kwargs)
            where = f"{arg} = {bad.kind}"
            if kind == "other":
                found.append(f"{where}: raised {msg}")
            elif kind == "ValueError" and not _names(msg, arg):
                found.append(f"{where}: ValueError does not name {arg!r}: {msg[:200]}")
            elif kind == "ok" and bad.must_reject:
                found.append(f"{where}: accepted silently")
    return found


def walk(qualname: str) -> list[str]:
    """Every failure of ``qualname`` under the walk (records: only their valid call)."""
    calls, fn, name = _entry(qualname)
    exempt = {key.split(".", 1)[1]: kinds for key, kinds in getattr(calls, "EXEMPT", {}).items()
              if key.split(".", 1)[0] == name}
    if name in getattr(calls, "RECORDS", {}):
        kind, msg = _outcome(fn, calls.CALLS[name]())
        return [] if kind == "ok" else [f"the valid call fails: {msg}"]
    return failures(fn, calls.CALLS[name], exempt)


ALL = public_callables()


def test_every_public_callable_has_a_valid_call():
    missing = []
    for qualname in ALL:
        calls, _, name = _entry(qualname)
        if calls is None or name not in calls.CALLS:
            missing.append(qualname)
    assert not missing, f"no valid call in tests/walk_calls/ for: {', '.join(missing)}"


def test_walk_calls_name_only_public_callables():
    known = set(ALL)
    stale = [f"{info.name}.{name}" for info in pkgutil.iter_modules(helpers.__path__)
             if (calls := walk_calls.load(info.name)) is not None
             for name in (*calls.CALLS, *getattr(calls, "RECORDS", {}))
             if f"{info.name}.{name}" not in known]
    assert not stale, f"tests/walk_calls/ names callables the package no longer has: {stale}"


@pytest.mark.parametrize("qualname", ALL)
def test_bad_input_gets_a_clear_error(qualname):
    calls, _, name = _entry(qualname)
    if calls is None or name not in calls.CALLS:
        pytest.fail(f"no valid call for {qualname} in tests/walk_calls/")
    failures = walk(qualname)
    assert not failures, f"{qualname}:\n  " + "\n  ".join(failures)


def test_the_walk_catches_what_it_should():
    """The walk itself: a helper that lets NaN through, one that raises a raw TypeError and one
    whose message does not name its argument are all reported; a careful one passes."""
    def silent(x=1.5):
        return float(np.sum(np.asarray(x, dtype=float)))

    def raw(x=1.5):
        return x + 1.0

    def unnamed(x=1.5):
        if not isinstance(x, float) or not np.isfinite(x):
            raise ValueError("bad input")
        return x

    def careful(x=1.5):
        if not _number(x) or not np.isfinite(x):
            raise ValueError(f"x must be a finite number, got {x!r}")
        return float(x)

    def report(fn):
        return "\n".join(failures(fn, lambda: {"x": 1.5}, {}))

    assert "x = nan: accepted silently" in report(silent)
    assert "x = text: raised TypeError" in report(raw)
    assert "x = None: ValueError does not name 'x'" in report(unnamed)
    assert report(careful) == ""
    refused = {"x": {kind: "exempt" for kind in ("None", "text", "bool", "nan", "complex")}}
    assert failures(silent, lambda: {"x": 1.5}, refused) == []
