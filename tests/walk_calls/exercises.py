"""Valid calls of helpers.exercises (see walk_calls/__init__.py)."""

_JUDGED = "the answer is judged, not validated: check prints ✗ with a hint (and returns False), never raises"

CALLS = {
    "check": lambda: {"exercise": "00.0", "answer": 4},
    "results": dict,
    "close": lambda: {"expected": lambda: 0.5, "rtol": 1e-3, "atol": 0.0},
    "whole": lambda: {"expected": lambda: 44},
}

EXEMPT = {"check.answer": {kind: _JUDGED for kind in ("None", "text", "bool", "nan", "complex", "fraction")}}
