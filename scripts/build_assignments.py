"""Build the graded homework: an nbgrader course made from every lesson's exercises (make assignments).

For each lesson notebooks/NN_topic.ipynb this writes the nbgrader source notebook
build/assignments/source/NN_topic/NN_topic.ipynb, copies instructors/nbgrader_config.py into
build/assignments/, and runs ``nbgrader generate_assignment``, which writes the student version to
build/assignments/release/NN_topic/NN_topic.ipynb. A source notebook holds, all read-only but the
answer cells:

- a header: which lesson the homework follows, the points of each exercise, how it is graded;
- the lesson's setup cell, and the cells of its core path that define what the exercises use
  (lessons 01 and 02: the prices, the sentences, the small example; no figure or widget);
- per exercise: its statement; its answer cell, the lesson's cell with the worked solution in a
  solution region under the placeholder (the release keeps only the placeholder); and a graded
  test cell: the lesson's visible ``check("NN.k", answer)``, which prints ✓ or a hint, and a hidden
  test that grades with a fresh import of the answer key (helpers/exercises.py), so that a notebook
  that redefines ``check`` or edits ``KEYS`` is still graded by the key.

No output is kept, so no worked solution leaks through one. Lesson 00's demonstration check (00.0)
sits in its core path and is not graded. nbgrader 0.9.6 needs Python 3.11 or newer.

Usage: python scripts/build_assignments.py [--course DIR] [--lessons NN …] [--regenerate-submitted]
(an assignment that students have handed in is regenerated only with --regenerate-submitted)
"""
from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "instructors" / "nbgrader_config.py"

# Points per exercise: one each, and two for the two longest tasks: 03.2 has two independent bugs
# to find and fix, 07.2 a three-term derivative to derive and evaluate by hand.
POINTS = {"03.2": 2, "07.2": 2}

CHECK_LINE = re.compile(r'^ok = check\("(\d\d\.\d+)"', re.MULTILINE)
# Hidden code before the visible check: nbgrader scores 0 for a test cell with any output on
# stderr, so a warning (or a print to stderr) from a right answer's function must not reach it.
QUIET = '''\
### BEGIN HIDDEN TESTS
import contextlib as _contextlib, io as _io, warnings as _warnings
_quiet = _contextlib.ExitStack()
_quiet.enter_context(_warnings.catch_warnings())
_warnings.simplefilter("ignore")
_quiet.enter_context(_contextlib.redirect_stderr(_io.StringIO()))
### END HIDDEN TESTS'''
# Hidden code after it: the installed answer key, imported afresh with the working directory off
# the import path and checked to be the file that a fresh Python (-P: no working directory) finds.
HIDDEN_TEST = '''\
### BEGIN HIDDEN TESTS
import os as _os, subprocess as _subprocess, sys as _sys, tempfile as _tempfile
try:
    _find = "import importlib.util as u; print(u.find_spec('helpers.exercises').origin)"
    _where = _subprocess.run([_sys.executable, "-P", "-c", _find], cwd=_tempfile.gettempdir(),
                             capture_output=True, text=True, check=True).stdout.strip()
    for _module in [m for m in _sys.modules if m == "helpers" or m.startswith("helpers.")]:
        del _sys.modules[_module]
    _path = _sys.path[:]
    _sys.path[:] = [p for p in _path if p not in ("", ".") and _os.path.realpath(p) != _os.path.realpath(".")]
    try:
        import helpers.exercises as _key
    finally:
        _sys.path[:] = _path
    assert _os.path.realpath(_key.__file__) == _os.path.realpath(_where), \\
        "the answer key was not imported from the installed course"
    with _contextlib.redirect_stdout(_io.StringIO()):
        _right = _key.check("{id}", {answer})
finally:
    _quiet.close()
assert _right, "Exercise {n} is not right yet: the check above gives a hint."
### END HIDDEN TESTS'''


@dataclass
class Exercise:
    """One exercise of a lesson: its id "NN.k", the statement (markdown), the cells tagged
    ``exercise`` after it (notes and code, in order) and the worked solution's code cell."""
    id: str
    statement: nbformat.NotebookNode
    cells: list
    solution: nbformat.NotebookNode

    @property
    def number(self) -> int:
        return int(self.id.split(".")[1])

    @property
    def points(self) -> int:
        return POINTS.get(self.id, 1)


def _tags(cell) -> set[str]:
    return set(cell.metadata.get("tags", []))


def _split_at_check(source: str) -> tuple[str, str]:
    """A cell's code before its ``ok = check(...)`` line, and from that line on ("" when none)."""
    m = CHECK_LINE.search(source)
    return (source, "") if m is None else (source[:m.start()].rstrip(), source[m.start():].rstrip())


def _exercises_start(nb: nbformat.NotebookNode, lesson: str) -> int:
    """Index of the lesson's "## Exercises" heading (every cell after it belongs to an exercise)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.startswith("## Exercises"):
            return i
    raise ValueError(f"lesson {lesson}: expected a markdown cell starting '## Exercises', found none")


def _exercises(nb: nbformat.NotebookNode, lesson: str) -> list[Exercise]:
    """The lesson's exercises, in order (CONTRIBUTING.md's format: a statement ``### Exercise k · …``
    tagged ``exercise``, cells tagged ``exercise``, then one code cell tagged ``solution``)."""
    found, current = [], None
    for cell in nb.cells[_exercises_start(nb, lesson) + 1:]:
        tags = _tags(cell)
        if "exercise" in tags and cell.cell_type == "markdown" and cell.source.startswith("### Exercise"):
            current = {"statement": cell, "cells": []}
        elif current is None:
            raise ValueError(f"lesson {lesson}: expected '### Exercise k · …' before {cell.source[:40]!r}")
        elif "exercise" in tags:
            current["cells"].append(cell)
        elif "solution" in tags and cell.cell_type == "code":
            ids = set(CHECK_LINE.findall("\n".join(c.source for c in current["cells"] if c.cell_type == "code")))
            if len(ids) != 1:
                raise ValueError(f"lesson {lesson}: expected one exercise id in the check lines "
                                 f"'ok = check(\"NN.k\", …)' of {current['statement'].source.splitlines()[0]!r}, "
                                 f"got {sorted(ids)}")
            found.append(Exercise(ids.pop(), current["statement"], current["cells"], cell))
            current = None
        else:
            raise ValueError(f"lesson {lesson}: expected cells tagged 'exercise' or 'solution' after "
                             f"'## Exercises', got {cell.source[:40]!r} with tags {sorted(tags)}")
    if current is not None:
        raise ValueError(f"lesson {lesson}: {current['statement'].source.splitlines()[0]!r} has no solution cell")
    return found


def _names(source: str, where: str) -> tuple[set[str], set[str]]:
    """The names a cell defines, and the names it reads without defining them itself."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ValueError(f"{where}: expected plain Python code, got a SyntaxError ({exc})") from None
    stored, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else stored).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, ast.arg):                  # a function's parameter: its own name
            stored.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stored.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return stored, read - stored


def _lesson_cells(nb: nbformat.NotebookNode, lesson: str, found: list[Exercise]) -> list:
    """The core-path code cells (after the setup cell, checks and deeper sections left out) that
    define a name the exercises read, and the cells those read in turn: found from the names each
    cell defines and reads, so a figure or a widget that defines nothing the exercises read stays out."""
    code = [c for ex in found for c in [*ex.cells, ex.solution] if c.cell_type == "code"]
    needed = set().union(*(_names(c.source, f"lesson {lesson}")[1] for c in code))
    setup = next(c for c in nb.cells if c.cell_type == "code")
    core = [c for c in nb.cells[:_exercises_start(nb, lesson)]
            if c.cell_type == "code" and c is not setup and not {"check", "deeper"} & _tags(c)]
    kept = []
    for cell in reversed(core):
        stored, read = _names(cell.source, f"lesson {lesson}")
        if stored & needed:
            kept.insert(0, cell)
            needed |= read
    return kept


def _meta(grade_id: str, *, locked: bool = True, solution: bool = False, points: int | None = None) -> dict:
    """The cell metadata of an nbgrader cell (schema 3); read-only cells cannot be edited or deleted."""
    meta = {"nbgrader": {"schema_version": 3, "grade": points is not None, "locked": locked,
                         "solution": solution, "task": False, "grade_id": grade_id}}
    if points is not None:
        meta["nbgrader"]["points"] = points
    if locked:
        meta.update(deletable=False, editable=False)
    return meta


def _read_only(cell_type: str, source: str, grade_id: str):
    new = new_markdown_cell if cell_type == "markdown" else new_code_cell
    return new(source, metadata=_meta(grade_id))


def _header(title: str, lesson: str, found: list[Exercise]) -> str:
    total = sum(ex.points for ex in found)
    others = [f"exercise {ex.number}, {ex.points} points" for ex in found if ex.points != 1]
    points = "1 point each" + (f" except {' and '.join(others)}" if others else "")
    return (f"# Homework · {title}\n\n"
            f"These are the exercises of lesson **{title}** (`notebooks/{lesson}.ipynb`): work through the "
            f"lesson first, as the exercises use its ideas and names.\n\n"
            f"**How it is graded.** {len(found)} exercises, {total} points ({points}). Under each answer cell, a "
            "read-only cell runs the lesson's check, `check(\"NN.k\", answer)`: as in the lesson, it prints ✓ or a "
            "hint, and never the expected answer. Your instructor's autograder runs the same check on the notebook "
            "you hand in: an exercise scores its points when its check says ✓, and none otherwise.\n\n"
            "**Before you hand it in**, run *Kernel → Restart Kernel and Run All Cells* and look at every check. "
            "Edit only the answer cells: the other cells are read-only, and the autograder runs its own copy of "
            "them.")


def source_notebook(lesson_path: Path) -> nbformat.NotebookNode:
    """The nbgrader source notebook of one lesson (see the module's docstring)."""
    if not isinstance(lesson_path, (str, os.PathLike)) or not str(lesson_path).endswith(".ipynb") \
            or not Path(lesson_path).is_file():
        raise ValueError(f"lesson_path must be an existing lesson notebook (.ipynb), got {str(lesson_path)!r}")
    lesson = Path(lesson_path).stem
    nb = nbformat.read(lesson_path, as_version=4)
    graded = _exercises(nb, lesson)
    if not graded:
        raise ValueError(f"lesson {lesson}: expected at least one graded exercise, found none")
    title = nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
    setup = next(c for c in nb.cells if c.cell_type == "code")
    kept = _lesson_cells(nb, lesson, graded)
    intro = ("**Setup** (read-only): the lesson's imports" +
             (", then the lesson's cells that make what the exercises use." if kept else ".") +
             " Run these cells first.")
    cells = [_read_only("markdown", _header(title, lesson, graded), "header"),
             _read_only("markdown", intro, "setup_intro"),
             _read_only("code", setup.source, "setup")]
    cells += [_read_only("code", c.source, f"lesson_{i}") for i, c in enumerate(kept, 1)]
    for ex in graded:
        cells += _exercise_cells(ex, lesson)
    out = nbformat.v4.new_notebook(cells=cells)
    out.metadata = {k: nb.metadata[k] for k in ("kernelspec", "language_info") if k in nb.metadata}
    return out


def _exercise_cells(ex: Exercise, lesson: str) -> list:
    """Statement, read-only code before the answer, the answer cell and the graded test cell."""
    tag = ex.id.replace(".", "_")
    heading, _, rest = ex.statement.source.partition("\n")
    plural = "s" * (ex.points > 1)
    cells = [_read_only("markdown", f"{heading} ({ex.points} point{plural})\n{rest}", f"exercise_{tag}")]
    parts = [(c, *_split_at_check(c.source)) if c.cell_type == "code" else (c, c.source, "") for c in ex.cells]
    code_before = [i for i, (c, before, _) in enumerate(parts) if c.cell_type == "code" and before.strip()]
    checks = "\n".join(after for _, _, after in parts if after)
    answer_at = code_before[-1] if code_before else None
    if answer_at is None or any(after for _, _, after in parts[:answer_at]):
        raise ValueError(f"lesson {lesson}, exercise {ex.id}: expected the answer cell before the line "
                         f"'ok = check(\"{ex.id}\", …)', got a check line before it or no answer cell")
    solution = _split_at_check(ex.solution.source)[0]
    if not solution.strip():
        raise ValueError(f"lesson {lesson}, exercise {ex.id}: expected worked solution code before its "
                         "check line, got none")
    answer_name = re.search(rf'^ok = check\("{re.escape(ex.id)}", (\w+)\)', checks, re.MULTILINE)
    if answer_name is None:
        raise ValueError(f"lesson {lesson}, exercise {ex.id}: expected 'ok = check(\"{ex.id}\", name)', "
                         f"got {checks.splitlines()[0]!r}")
    for i, (cell, before, _) in enumerate(parts):
        if i == answer_at:
            cells.append(new_code_cell(f"{before}\n### BEGIN SOLUTION\n{solution}\n### END SOLUTION",
                                       metadata=_meta(f"answer_{tag}", locked=False, solution=True)))
        elif cell.cell_type == "markdown":
            cells.append(_read_only("markdown", before, f"exercise_{tag}_note_{i}"))
        elif before.strip():
            cells.append(_read_only("code", before, f"exercise_{tag}_code_{i}"))
    hidden = HIDDEN_TEST.format(id=ex.id, answer=answer_name.group(1), n=ex.number)
    cells.append(new_code_cell(f"{QUIET}\n{checks}\n{hidden}", metadata=_meta(f"test_{tag}", points=ex.points)))
    return cells


def write_course(course: Path, lessons: list[Path]) -> list[str]:
    """Write the course directory: nbgrader_config.py and one source notebook per lesson (replacing
    any earlier source); returns the assignment names, NN_topic."""
    if not isinstance(course, (str, os.PathLike)):
        raise ValueError(f"course must be a directory path, got {type(course).__name__}")
    if isinstance(lessons, (str, os.PathLike)) or not lessons:
        raise ValueError(f"lessons must be a list of lesson notebooks (at least one), got {lessons!r}")
    course = Path(course)
    course.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CONFIG, course / "nbgrader_config.py")
    names = []
    for path in lessons:
        nb = source_notebook(path)
        name = Path(path).stem
        folder = course / "source" / name
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{name}.ipynb")
        names.append(name)
    return names


def nbgrader(course: Path, *args: str) -> None:
    """Run one nbgrader command in the course directory (its nbgrader_config.py applies)."""
    if not isinstance(course, (str, os.PathLike)) or not Path(course).is_dir():
        raise ValueError(f"course must be an existing course directory, got {course!r}")
    if not args or not all(isinstance(a, str) for a in args):
        raise ValueError(f"args must be nbgrader's command and its arguments, as text, got {args!r}")
    # nbgrader runs the `alembic` command beside its Python (the venv's bin/), which may not be on PATH.
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed in {course}:\n{done.stdout}{done.stderr}")


def handed_in(course: Path, name: str) -> list[str]:
    """The students who handed in assignment ``name``: a folder submitted/<student>/<name>/, or a
    submission in the course's gradebook."""
    course = Path(course)
    students = {p.parent.name for p in (course / "submitted").glob(f"*/{name}") if p.is_dir()}
    if (course / "gradebook.db").is_file():
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            students |= {s.student.id for a in gb.assignments if a.name == name for s in a.submissions}
    return sorted(students)


def build(course: Path, lessons: list[Path], *, regenerate_submitted: bool = False) -> list[str]:
    """Write the lessons' sources, then generate the student release of each (one nbgrader run for
    all when the course holds only these lessons: each run takes seconds to start); returns the
    assignment names. Refuses to regenerate an assignment that students have handed in, unless
    ``regenerate_submitted``: the graded cells under their work would change."""
    if not isinstance(course, (str, os.PathLike)):
        raise ValueError(f"course must be a directory path, got {type(course).__name__}")
    if isinstance(lessons, (str, os.PathLike)) or not lessons:
        raise ValueError(f"lessons must be a list of lesson notebooks (at least one), got {lessons!r}")
    if not regenerate_submitted:
        taken = {Path(p).stem: handed_in(course, Path(p).stem) for p in lessons}
        taken = {name: students for name, students in taken.items() if students}
        if taken:
            raise ValueError("lessons must not include an assignment that students have handed in (pass "
                             "--regenerate-submitted to regenerate it anyway), got " +
                             "; ".join(f"{name}, handed in by {len(s)} students" for name, s in taken.items()))
    names = write_course(course, lessons)
    others = {p.name for p in (Path(course) / "source").iterdir() if p.is_dir()} - set(names)
    for pattern in ["*"] if not others else names:
        nbgrader(course, "generate_assignment", pattern, "--force")
    return names


def lesson_paths(numbers: list[str] | None) -> list[Path]:
    """The lesson notebooks numbered ``numbers`` ("05", …), or every lesson when None."""
    lessons = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if numbers is None:
        return lessons
    by_number = {p.name[:2]: p for p in lessons}
    unknown = [n for n in numbers if n not in by_number]
    if unknown or not numbers:
        raise ValueError(f"lessons must be lesson numbers among {sorted(by_number)}, got {numbers!r}")
    return [by_number[n] for n in sorted(set(numbers))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", type=Path, default=ROOT / "build" / "assignments",
                        help="the nbgrader course directory to write (default: build/assignments)")
    parser.add_argument("--lessons", nargs="+", metavar="NN",
                        help="build only these lessons' assignments, by number (default: every lesson)")
    parser.add_argument("--regenerate-submitted", action="store_true",
                        help="regenerate an assignment even if students have handed it in")
    args = parser.parse_args(argv)
    if sys.version_info < (3, 11):
        parser.error(f"nbgrader 0.9.6 needs Python 3.11 or newer, found {sys.version.split()[0]} "
                     "(the course itself runs on 3.10)")
    try:
        names = build(args.course, lesson_paths(args.lessons), regenerate_submitted=args.regenerate_submitted)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"{len(names)} assignments; the student versions are in {args.course / 'release'}/<lesson>/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
