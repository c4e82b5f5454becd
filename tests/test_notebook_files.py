"""Static checks of the committed notebooks: the things strict nbval alone does not catch."""
import json
import re
try:
    import tomllib
except ModuleNotFoundError:                             # Python 3.10: the same parser, from PyPI
    import tomli as tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", ""}


def test_every_notebook_is_validated_by_strict_nbval():
    opts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "notebooks" in opts["testpaths"]
    args = opts["addopts"].split()
    assert "--nbval" in args and "--nbval-lax" not in args
    assert not any(a.startswith("--ignore") or a.startswith("--deselect") for a in args)
    assert not (ROOT / "notebooks" / "conftest.py").exists()
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_from_a_clean_run(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), \
        "re-run the notebook top to bottom from a fresh kernel (Restart Kernel & Run All)"
    for cell in code:
        for out in cell["outputs"]:
            assert out["output_type"] != "error", out.get("evalue")
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), "".join(out["text"])[:200]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_slideshow_metadata_and_exercises(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["cells"][0]["cell_type"] == "markdown"
    opening = "".join(nb["cells"][0]["source"])        # design.md: what, prerequisites, how long
    assert "learn" in opening.lower() and "Prerequisites" in opening, opening[:300]
    assert re.search(r"\*\*Time:?\*\*:? about \d+ minutes", opening), "no time estimate in the opening cell"
    for i, cell in enumerate(nb["cells"]):
        slide = cell["metadata"].get("slideshow", {}).get("slide_type")
        assert slide in SLIDE_TYPES, f"cell {i}: slide_type {slide!r}"
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Exercise" in text


def _exercises(nb: dict) -> list[list[dict]]:
    """The cells of each exercise: from the markdown cell that states it ("### Exercise N" or
    "**Exercise N", at the start of a line) to the next exercise or the end of the notebook."""
    blocks = []
    for c in nb["cells"]:
        if c["cell_type"] == "markdown" and re.search(r"(?m)^(### Exercise|\*\*Exercise) ?\d",
                                                      "".join(c["source"])):
            blocks.append([])
        if blocks:
            blocks[-1].append(c)
    return blocks


def _printed(cell: dict) -> str:
    return "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_has_a_check_with_a_hint_and_a_collapsed_worked_solution(path):
    """As the design asks: the learner's cell, run as committed (no answer yet), prints the check's
    hint (✗); the worked solution is the last code cell, collapsed (source and output), skipped on
    slides, and its check passes (✓).
    (Other collapsed cells, such as the reference values the checks compare against, may come
    before it.)"""
    blocks = _exercises(json.loads(path.read_text(encoding="utf-8")))
    assert len(blocks) >= 3, f"{len(blocks)} exercises"
    for n, block in enumerate(blocks, 1):
        code = [c for c in block if c["cell_type"] == "code"]
        hidden = [c.get("metadata", {}).get("jupyter", {}).get("source_hidden", False) for c in code]
        assert hidden[-1] and not all(hidden), (
            f"exercise {n}: expected a cell for the learner and, last, a collapsed solution; hidden = {hidden}")
        assert any("✗" in _printed(c) and "Hint" in _printed(c) for c in code[:-1]), (
            f"exercise {n}: no check prints a hint for the unanswered exercise")
        assert "✓" in _printed(code[-1]) and "✗" not in _printed(code[-1]), (
            f"exercise {n}: the worked solution does not pass its check: {_printed(code[-1])[:200]!r}")
        meta = code[-1].get("metadata", {})
        # its printed ✓ (and any numbers) would give the answer away under the learner's cell, and
        # on a slide it would show the answer right under the exercise
        assert meta.get("jupyter", {}).get("outputs_hidden") is True, (
            f"exercise {n}: the worked solution's output is not collapsed (jupyter.outputs_hidden)")
        assert meta.get("slideshow", {}).get("slide_type") == "skip" and "solution" in meta.get("tags", []), (
            f"exercise {n}: the worked solution should be tagged 'solution' and skipped on slides")
