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
def test_the_opening_cell_links_the_notation_card(path):
    """Every lesson's first cell links notebooks/notation.md, the one page of symbols, shapes and indices."""
    first = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    assert "](notation.md)" in first, "link the notation card in the opening cell: [notation card](notation.md)"
    card = (ROOT / "notebooks" / "notation.md").read_text(encoding="utf-8")
    for must in ("`x[0]` holds $x_1$", "`h_prev @ W_hh.T`", "gap", "scale"):
        assert must in card, must


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_from_a_clean_run(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), \
        "re-run the notebook top to bottom from a fresh kernel (Restart Kernel & Run All)"
    for cell in code:
        assert "execution" not in cell["metadata"], (
            "execution timestamps in the cell metadata: store outputs with `make execute` (no timing)")
        for out in cell["outputs"]:
            assert out["output_type"] != "error", out.get("evalue")
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), "".join(out["text"])[:200]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_stored_figure_carries_its_alt_text(path):
    # helpers.alt: the decks, the website and nbgrader's notebooks read it from the output's metadata
    nb = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
                assert len(alt) >= 80 and not alt.startswith("Figure"), (
                    f"cell {index}: the figure's alt text is {alt!r}; re-run the lesson (make execute NB={path.name})")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_slideshow_metadata_and_exercises(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["cells"][0]["cell_type"] == "markdown"
    opening = "".join(nb["cells"][0]["source"])        # docs/DESIGN.md: what, prerequisites, how long
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


# The lesson format (CONTRIBUTING.md): what a cell is (its tag) decides where it appears.
LAYER_TAGS = {"check", "deeper", "exercise", "solution"}
TAGS = LAYER_TAGS | {"show-code", "printout"}
DEEPER_HEADING = re.compile(r"^(#{3,4}) Going deeper \(optional\): \S")
HEADING = re.compile(r"^(#{1,6}) ")


def _tags(cell: dict) -> list[str]:
    return cell["metadata"].get("tags", [])


def _slide(cell: dict):
    return cell["metadata"].get("slideshow", {}).get("slide_type")


def _stream(cell: dict) -> str:
    return "".join("".join(o["text"]) for o in cell.get("outputs", []) if o["output_type"] == "stream")


def _heading_level(cell: dict) -> int | None:
    if cell["cell_type"] != "markdown":
        return None
    m = HEADING.match("".join(cell["source"]))
    return len(m.group(1)) if m else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_follows_the_lesson_format(path):
    """Tags from the course's vocabulary, and each layer where CONTRIBUTING.md puts it: checks are
    speaker notes that print one line, deeper cells are off the slides, exercise code and
    solutions never reach a slide."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for i, cell in enumerate(nb["cells"]):
        tags, slide = _tags(cell), _slide(cell)
        where = f"cell {i} ({''.join(cell['source'])[:40]!r})"
        if set(tags) - TAGS:
            problems.append(f"{where}: unknown tags {sorted(set(tags) - TAGS)}; the vocabulary is {sorted(TAGS)}")
        if len(set(tags) & LAYER_TAGS) > 1:
            problems.append(f"{where}: more than one layer tag {sorted(set(tags) & LAYER_TAGS)}")
        code = cell["cell_type"] == "code"
        if "check" in tags:
            if slide != "notes":
                problems.append(f"{where}: a check is a speaker note on slides (slide_type 'notes'), got {slide!r}")
            if code:
                lines = _stream(cell).rstrip("\n").split("\n")
                if not _stream(cell).strip() or len(lines) != 1:
                    problems.append(f"{where}: a check prints one line, printed {len(lines)}: {_stream(cell)[:120]!r}")
                elif not ("✓" in lines[0] or "✗" in lines[0]) or len(lines[0]) > 200:
                    problems.append(f"{where}: a check's line says what was compared and ends in ✓ or ✗, "
                                    f"in at most 200 characters: {lines[0][:120]!r}")
                if any(o["output_type"] != "stream" for o in cell.get("outputs", [])):
                    problems.append(f"{where}: a check prints a line and shows nothing else")
        if "deeper" in tags and slide != "skip":
            problems.append(f"{where}: a deeper cell is off the slides (slide_type 'skip'), got {slide!r}")
        if "solution" in tags and slide != "skip":
            problems.append(f"{where}: a solution is off the slides (slide_type 'skip'), got {slide!r}")
        if "exercise" in tags and code and "show-code" not in tags and slide != "skip":
            problems.append(f"{where}: an exercise's code cell is off the slides (slide_type 'skip'), got {slide!r}")
        if "show-code" in tags and (not code or cell.get("outputs") or slide in ("skip", "notes")):
            problems.append(f"{where}: a show-code cell is a code cell on a slide that prints nothing")
        if "printout" in tags and (not code or not _stream(cell) or slide in ("skip", "notes")
                                   or set(tags) & LAYER_TAGS):
            problems.append(f"{where}: a printout is a core code cell on a slide that prints")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_deeper_sections_collapse_under_their_heading(path):
    """Each run of deeper cells opens with a collapsed "Going deeper (optional): …" heading and ends
    where a heading of the same or a higher level resumes the core path, so that JupyterLab's
    collapsed heading hides exactly the digression."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    problems, i = [], 0
    while i < len(cells):
        if "deeper" not in _tags(cells[i]):
            i += 1
            continue
        start = i
        while i < len(cells) and "deeper" in _tags(cells[i]):
            i += 1
        first = cells[start]
        m = DEEPER_HEADING.match("".join(first["source"])) if first["cell_type"] == "markdown" else None
        if not m:
            problems.append(f"cell {start}: a deeper section opens with '### Going deeper (optional): …' (or ####)")
            continue
        level = len(m.group(1))
        if first["metadata"].get("jp-MarkdownHeadingCollapsed") is not True:
            problems.append(f"cell {start}: the deeper heading is not collapsed (jp-MarkdownHeadingCollapsed)")
        for k in range(start + 1, i):
            if (_heading_level(cells[k]) or 99) <= level:
                problems.append(f"cell {k}: a heading inside the deeper section of cell {start} would end its collapse")
        if i < len(cells) and (_heading_level(cells[i]) or 99) > level:
            problems.append(f"cell {i}: the core path resumes after the deeper section of cell {start} without a "
                            f"heading of level ≤ {level}, so collapsing that section would hide it")
    assert not problems, "\n".join(problems)


def _names(source: str, ctx) -> set[str]:
    import ast
    try:
        tree = ast.parse(source)
    except SyntaxError:                                    # IPython magics: none in the lessons
        return set()
    found = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ctx)}
    if ctx is ast.Store:
        found |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        found |= {(a.asname or a.name).split(".")[0] for n in ast.walk(tree)
                  if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_core_path_runs_without_checks_and_digressions(path):
    """A reader (or a deck) that skips every check and deeper cell loses nothing: no later cell
    outside them uses a name that only a check or deeper cell defines."""
    import ast
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    core_defined: set[str] = set()
    only_aside: dict[str, int] = {}
    problems = []
    for i, cell in enumerate(cells):
        src = "".join(cell["source"])
        aside = bool({"check", "deeper"} & set(_tags(cell)))
        if not aside:
            used = _names(src, ast.Load) - core_defined - _names(src, ast.Store)    # a cell's own names are its own
            problems += [f"code cell {i} uses {n!r}, which only the check/deeper code cell {only_aside[n]} defines"
                         for n in sorted(used & set(only_aside))]
            core_defined |= _names(src, ast.Store)
        else:
            for n in _names(src, ast.Store) - core_defined:
                only_aside.setdefault(n, i)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_are_tagged_so_decks_show_the_question_only(path):
    problems = []
    for n, block in enumerate(_exercises(json.loads(path.read_text(encoding="utf-8"))), 1):
        statement, code = block[0], [c for c in block if c["cell_type"] == "code"]
        if not re.match(r"### Exercise \d+ · \S", "".join(statement["source"])):
            problems.append(f"exercise {n}: the statement opens with '### Exercise {n} · Title'")
        if "exercise" not in _tags(statement) or _slide(statement) in ("skip", "notes"):
            problems.append(f"exercise {n}: the statement is tagged 'exercise' and shown on a slide")
        for c in block[1:]:
            if c is code[-1]:
                continue
            if "exercise" not in _tags(c):
                problems.append(f"exercise {n}: {''.join(c['source'])[:40]!r} is not tagged 'exercise'")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_time_estimate_covers_the_core_path(path):
    opening = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    assert re.search(r"\*\*Time:\*\* about \d+ minutes \(the core path", opening), (
        "the opening cell says '**Time:** about N minutes (the core path; …)'")


def _deck_slides(nb: dict) -> list[list[dict]]:
    """The cells each slide of a deck shows (reveal's horizontal and vertical slides alike): a
    "slide" or "subslide" cell opens a slide; "skip" and "notes" cells are not on it."""
    slides: list[list[dict]] = []
    for cell in nb["cells"]:
        slide = _slide(cell)
        if slide in ("skip", "notes"):
            continue
        if slide in ("slide", "subslide") or not slides:
            slides.append([])
        slides[-1].append(cell)
    return slides


def _prints(cell: dict) -> bool:
    """A printout on a slide: printed text, or a result shown as plain text only."""
    return cell["cell_type"] == "code" and any(
        o["output_type"] == "stream" or (o["output_type"] == "execute_result" and set(o["data"]) == {"text/plain"})
        for o in cell.get("outputs", []))


def _shows_more_than_a_heading(cell: dict) -> bool:
    if cell["cell_type"] == "markdown":
        return any(line.strip() and not HEADING.match(line) for line in "".join(cell["source"]).split("\n"))
    return any(o["output_type"] in ("display_data", "execute_result") and set(o["data"]) != {"text/plain"}
               for o in cell.get("outputs", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_slides_carry_few_printouts_and_never_one_alone(path):
    """The decks are for a room: at most one slide in five carries a printout, and a printout
    never stands alone on a slide unless it is the point (tagged 'printout'). No slide shows an
    exercise's verdict or hint. (tests/browser checks the same on the built decks.)"""
    slides = _deck_slides(json.loads(path.read_text(encoding="utf-8")))
    with_print = [s for s in slides if any(_prints(c) for c in s)]
    problems = []
    if 5 * len(with_print) > len(slides):
        problems.append(f"{len(with_print)} of {len(slides)} slides carry a printout (at most one in five): " +
                        "; ".join(repr("".join(s[0]["source"])[:50]) for s in with_print))
    for s in with_print:
        alone = not any(_shows_more_than_a_heading(c) for c in s if not _prints(c))
        if alone and not any("printout" in _tags(c) for c in s):
            problems.append(f"a printout alone on a slide: {''.join(s[0]['source'])[:60]!r}")
    for s in slides:
        for c in s:
            if re.search(r"✗ Exercise|✓ Exercise|Hint:", _stream(c)):
                problems.append(f"an exercise verdict or hint on a slide: {_stream(c)[:80]!r}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- one import convention (CONTRIBUTING)

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lessons_import_helpers_one_way(path):
    """`from helpers.<module> import <names>`, or `from helpers import <topic modules>` used by
    their own name: no aliases a reader must decode, no private names, no bare `import helpers`,
    and all of it in the setup cell, so a reader sees at once what a lesson uses."""
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    setup = next(i for i, c in enumerate(cells) if "use_course_style()" in "".join(c["source"]))
    for i, cell in enumerate(cells):
        source = "".join(cell["source"])
        imports = re.findall(r"^\s*(?:from helpers\S* import [^\n]*(?:\([^)]*\))?|import helpers\b[^\n]*)",
                             source, re.M)
        assert not imports or i == setup, f"cell {i} imports helpers outside the setup cell: {imports}"
        for line in imports:
            assert not line.lstrip().startswith("import helpers"), f"bare import: {line}"
            assert not re.search(r"\bas\b", line), f"an alias of a helpers module or name: {line}"
            names = re.sub(r".* import ", "", line.replace("\n", " ")).strip("() ")
            assert not any(n.strip().startswith("_") for n in names.split(",")), f"a private name: {line}"
