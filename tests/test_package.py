"""The package: lazy loading, and the layers of its module map (helpers/__init__.py)."""
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import helpers


def test_submodules_load_on_first_use():
    code = ("import sys, helpers; before = 'helpers.rnn' in sys.modules; f = helpers.rnn.rnn_forward; "
            "print(before, 'helpers.rnn' in sys.modules, f.__module__, f.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "helpers.rnn", "rnn_forward"]
    assert "rnn" in dir(helpers) and "activations" in dir(helpers)


def test_import_helpers_does_not_pull_in_plotting_or_widgets():
    code = ("import sys, helpers, helpers.rnn, helpers.optim, helpers.gradcheck; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="nonexistent"):
        helpers.__getattr__("nonexistent")


# ------------------------------------------------------------------ the layers of the module map



ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "helpers"
LAYERS = ("core", "topic", "view", "tool")
VIEW_TOOLS = {"style", "livefig", "deck", "alt"}         # what every view may lean on
DRAWING = ("matplotlib", "ipywidgets", "ipympl", "IPython")
MAP_ROW = re.compile(r"^(\w+)\s+(core|topic|view|tool)\s+(–|[\d–, ]+?)\s{2,}(\S.*)$")


def module_map() -> dict[str, tuple[str, str]]:
    """{module: (layer, lessons)} from the table in helpers/__init__.py's docstring."""
    rows = [MAP_ROW.match(line) for line in helpers.__doc__.splitlines()]
    return {m[1]: (m[2], m[3]) for m in rows if m}


def lessons_of(column: str) -> set[int]:
    if column == "–":
        return set()
    out: set[int] = set()
    for part in column.split(","):
        lo, _, hi = part.strip().partition("–")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def imports_of(module: str) -> tuple[set[str], set[str]]:
    """(helpers modules, other top-level packages) that ``module`` imports anywhere in its file,
    at the top or inside a function."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    ours, theirs = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top, _, rest = alias.name.partition(".")
                (ours.add(rest.split(".")[0]) if top == "helpers" and rest else theirs.add(top))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module.split(".")[0] != "helpers":
                theirs.add(node.module.split(".")[0])
            elif node.module in (None, "helpers"):          # from . import a, b
                ours.update(alias.name for alias in node.names)
            else:                                          # from .a import f / from helpers.a import f
                ours.add(node.module.split(".")[-1] if node.level else node.module.split(".")[1])
    ours.discard("_validate")
    return ours, theirs


MAP = module_map()
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_"))


def test_the_module_map_lists_every_module_once_with_its_layer():
    assert sorted(MAP) == MODULES, "helpers/__init__.py's module map must list exactly the package's modules"
    assert {layer for layer, _ in MAP.values()} == set(LAYERS)


def test_module_names_follow_the_rule():
    """Views, and only views, are named diagrams, plots_X or widgets_X, and X is a numerics module."""
    for name, (layer, _) in MAP.items():
        is_view_name = name == "diagrams" or name.startswith(("plots_", "widgets_"))
        assert (layer == "view") == is_view_name, f"{name} is a {layer} module"
        if name.startswith(("plots_", "widgets_")):
            topic = name.split("_", 1)[1]
            assert MAP.get(topic, ("",))[0] in ("core", "topic"), f"{name} draws no topic or core module {topic}"


@pytest.mark.parametrize("name", MODULES)
def test_imports_go_down_the_layers(name):
    layer = MAP[name][0]
    ours, theirs = imports_of(name)
    layer_of = {m: MAP[m][0] for m in ours}
    if layer in ("core", "topic"):    # a topic never leans on another lesson's topic
        allowed = {m for m in ours if layer_of[m] == "core"}
    elif layer == "view":           # core, its own topic, its own topic's static figures, view tools
        topic = name.split("_", 1)[1] if "_" in name else None
        allowed = {m for m in ours if layer_of[m] == "core" or m in VIEW_TOOLS or m in (topic, f"plots_{topic}")}
    elif name == "exercises":       # the answer keys: every numerics module, no drawing
        allowed = {m for m in ours if layer_of[m] in ("core", "topic", "tool")}
    else:                           # tools: core and other tools
        allowed = {m for m in ours if layer_of[m] in ("core", "tool")}
    assert ours == allowed, f"{name} ({layer}) must not import {sorted(ours - allowed)}"
    if layer in ("core", "topic"):
        assert not theirs & set(DRAWING), f"numerics module {name} imports {sorted(theirs & set(DRAWING))}"


def test_the_map_names_the_lessons_that_import_each_module():
    imported_by: dict[str, set[int]] = {m: set() for m in MODULES}
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        lesson = int(nb.name[:2])
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for m in re.finditer(r"from helpers\.(\w+) import|from helpers import ([\w, ]+)", source):
            for name in (m[1],) if m[1] else m[2].replace(" ", "").split(","):
                imported_by[name].add(lesson)
    wrong = {name: sorted(lessons) for name, lessons in imported_by.items() if lessons != lessons_of(MAP[name][1])}
    assert not wrong, f"the module map's lessons column differs from what the lessons import: {wrong}"
