"""make assignments: every lesson's homework, graded by nbgrader, gives the scores it should.

One nbgrader course in a temporary directory holds every lesson (scripts/build_assignments.py
writes the sources and generates the releases). Two students hand in the RELEASE notebooks: "right"
fills each answer cell with the lesson's worked solution; "wrong" answers exercise 1 right and makes
the typical mistake of tests/exercise_mistakes.py in every other exercise, and in exercise 2 it also
cheats: it redefines ``check`` and makes every answer key accept anything. One ``nbgrader
autograde`` grades both students on every lesson, and ``nbgrader export`` writes grades.csv. The
expected scores come from the points table below, never from nbgrader's output. The releases must
hold no worked solution, no solution or hidden-test region, no output and no expected value.
"""
from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

from tests.exercise_mistakes import MISTAKES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import build_assignments  # noqa: E402

LESSONS = [name.removesuffix(".ipynb") for name in sorted(MISTAKES)]
POINTS = {"03.2": 2, "07.2": 2}           # the two longest exercises; every other exercise: 1 point
STUDENTS = ("right", "wrong")

# Expected answers that the lessons print (in a worked solution's comment or output), and that no
# release may show.
EXPECTED_VALUES = {
    "01_sequence_data": ["-0.125", "109"],
    "04_vanishing_exploding": ["0.5583", "126"],
    "05_long_term_dependencies": ["1.48687"],
    "06_remedies": ["0.36", "-2.9343"],
    "07_gated_cells": ["4.27", "0.7452", "5504", "4224"],
}

# The cheat: every check passes, in the notebook's namespace and in the key module the lesson imported.
CHEAT = """
import dataclasses
import helpers.exercises
helpers.exercises.KEYS = {k: dataclasses.replace(key, judge=lambda answer: None)
                          for k, key in helpers.exercises.KEYS.items()}
check = helpers.exercises.check = lambda exercise, answer: True
"""


def graded(test):
    """Mark a test that reads the graded course: slow (one nbgrader course, 8 lessons and 2 students
    graded, about 2 minutes in all), and only where nbgrader installs."""
    needs = pytest.mark.skipif(sys.version_info < (3, 11), reason="nbgrader 0.9.6 needs Python 3.11 or newer")
    return pytest.mark.slow(needs(test))


def _points(lesson: str, n: int) -> int:
    return POINTS.get(f"{lesson[:2]}.{n}", 1)


def _mistaken(student: str, n: int) -> bool:
    return student == "wrong" and n >= 2


def _lesson(lesson: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)


def _tagged(nb, tag: str) -> list:
    return [c for c in nb.cells if tag in c.metadata.get("tags", [])]


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _handed_in(release: nbformat.NotebookNode, lesson: str, student: str) -> nbformat.NotebookNode:
    """The release with each answer cell completed by the lesson's worked solution (or its mistake)."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    answers = [c for c in nb.cells if _nbgrader(c).get("solution")]
    solutions = _tagged(_lesson(lesson), "solution")
    for cell, solution, (n, right, wrong) in zip(answers, solutions, MISTAKES[f"{lesson}.ipynb"], strict=True):
        code = solution.source
        if _mistaken(student, n):
            assert right in code, f"{lesson} exercise {n}: the worked solution no longer contains {right!r}"
            code = code.replace(right, wrong) + (CHEAT if n == 2 else "")
        cell.source = cell.source.rstrip("\n") + "\n" + code
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The graded course: the releases, both students autograded, and grades.csv."""
    course = tmp_path_factory.mktemp("assignments")
    names = build_assignments.build(course, [ROOT / "notebooks" / f"{lesson}.ipynb" for lesson in LESSONS])
    assert names == LESSONS
    for lesson in LESSONS:
        release = nbformat.read(course / "release" / lesson / f"{lesson}.ipynb", as_version=4)
        for student in STUDENTS:
            folder = course / "submitted" / student / lesson
            folder.mkdir(parents=True)
            nbformat.write(_handed_in(release, lesson, student), folder / f"{lesson}.ipynb")
    build_assignments.nbgrader(course, "autograde", "*")
    build_assignments.nbgrader(course, "export")
    return course


def _release(course: Path, lesson: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "release" / lesson / f"{lesson}.ipynb", as_version=4)


def _source(course: Path, lesson: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "source" / lesson / f"{lesson}.ipynb", as_version=4)


@graded
@pytest.mark.parametrize("lesson", LESSONS)
def test_release_holds_no_solution_no_hidden_test_and_no_output(course, lesson):
    release = _release(course, lesson)
    text = "\n".join(c.source for c in release.cells)
    assert not re.search(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS)", text)
    assert all(not c.get("outputs") for c in release.cells if c.cell_type == "code")
    exercise_code = "\n".join(c.source for c in _tagged(_lesson(lesson), "exercise"))
    for solution in _tagged(_lesson(lesson), "solution"):
        for line in filter(None, (line.strip() for line in solution.source.splitlines())):
            if line not in exercise_code:          # not the check, nor a line the exercise starts from
                assert line not in text, f"the worked solution's line {line!r} is in the release"
    hidden = [re.search(r"### BEGIN HIDDEN TESTS\n(.*)### END HIDDEN TESTS", c.source, re.DOTALL)
              for c in _source(course, lesson).cells if _nbgrader(c).get("grade")]
    assert hidden and all(hidden)
    for line in {line.strip() for m in hidden for line in m.group(1).splitlines()} - {""}:
        assert line not in text, f"the hidden test's line {line!r} is in the release"


@graded
@pytest.mark.parametrize("lesson", sorted(EXPECTED_VALUES))
def test_release_shows_no_expected_value_that_the_lesson_prints(course, lesson):
    cells = _lesson(lesson).cells
    printed = json.dumps([(c.source, c.get("outputs", [])) for c in cells], ensure_ascii=False)
    release = "\n".join(c.source for c in _release(course, lesson).cells)
    for value in EXPECTED_VALUES[lesson]:
        assert value in printed, f"the lesson no longer shows {value}: pick another value for this test"
        assert value not in release, f"the release shows the expected value {value}"


@graded
@pytest.mark.parametrize("lesson", LESSONS)
def test_release_keeps_the_lessons_placeholders_and_checks_and_locks_the_rest(course, lesson):
    release = _release(course, lesson)
    exercise_cells = [c.source for c in _tagged(_lesson(lesson), "exercise")]
    answers = [c for c in release.cells if _nbgrader(c).get("solution")]
    tests = [c for c in release.cells if _nbgrader(c).get("grade")]
    assert len(answers) == len(tests) == len(MISTAKES[f"{lesson}.ipynb"])
    for n, (answer, test) in enumerate(zip(answers, tests, strict=True), 1):
        assert answer.source.strip() and any(answer.source.strip() in s for s in exercise_cells), answer.source
        assert test.source.startswith(f'ok = check("{lesson[:2]}.{n}", '), test.source
        assert _nbgrader(test)["points"] == _points(lesson, n)
    for cell in release.cells:
        if not _nbgrader(cell).get("solution"):
            assert _nbgrader(cell).get("locked") and cell.metadata.get("editable") is False, cell.source[:60]


def _expected_score(lesson: str, student: str) -> int:
    return sum(_points(lesson, n) for n, _, _ in MISTAKES[f"{lesson}.ipynb"] if not _mistaken(student, n))


@graded
@pytest.mark.parametrize("lesson", LESSONS)
def test_autograde_gives_each_exercise_its_points_or_nothing(course, lesson):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in STUDENTS:
            graded = gb.find_submission_notebook(lesson, lesson, student)
            scores = {g.name: (g.score, g.max_score) for g in graded.grades}
            expected = {f"test_{lesson[:2]}_{n}": (0 if _mistaken(student, n) else _points(lesson, n),
                                                   _points(lesson, n))
                        for n, _, _ in MISTAKES[f"{lesson}.ipynb"]}
            assert scores == expected, student
    cheated = nbformat.read(course / "autograded" / "wrong" / lesson / f"{lesson}.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in cheated.cells if _nbgrader(c).get("grade") for o in c.outputs)
    assert "✓ Exercise 1" in printed and "✗" not in printed, "the cheat did not fool the notebook's own check"


@graded
def test_export_writes_every_score_to_grades_csv(course):
    with open(course / "grades.csv", newline="") as f:
        rows = {(r["assignment"], r["student_id"]): (float(r["score"]), float(r["max_score"]))
                for r in csv.DictReader(f)}
    expected = {(lesson, student): (_expected_score(lesson, student), _expected_score(lesson, "right"))
                for lesson in LESSONS for student in STUDENTS}
    assert rows == expected
    assert all(expected[lesson, "right"][0] == expected[lesson, "right"][1] > expected[lesson, "wrong"][0]
               for lesson in LESSONS)


# --------------------------------------------------------------------------- bad input (fast)

def _lesson_file(tmp_path, cells) -> Path:
    path = tmp_path / "09_broken.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def _md(source, tags=()):
    return nbformat.v4.new_markdown_cell(source, metadata={"tags": list(tags)})


def _code(source, tags=()):
    return nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)})


@pytest.mark.parametrize(("cells", "message"), [
    ([_md("# 09"), _code("import numpy as np")], "'## Exercises'"),
    ([_md("# 09"), _code("x = 1"), _md("## Exercises"), _md("### Exercise 1 · A", ["exercise"]),
      _code('answer = None\nok = check("09.1", answer)', ["exercise"])], "has no solution cell"),
    ([_md("# 09"), _code("x = 1"), _md("## Exercises"), _md("### Exercise 1 · A", ["exercise"]),
      _code("answer = None", ["exercise"]), _code("answer = 1", ["solution"])], "one exercise id"),
    ([_md("# 09"), _code("x = 1"), _md("## Exercises"), _md("### Exercise 1 · A", ["exercise"]),
      _code('ok = check("09.1", answer)', ["exercise"]), _code("answer = 1", ["solution"])], "answer cell"),
])
def test_a_lesson_out_of_format_gets_a_clear_error(tmp_path, cells, message):
    with pytest.raises(ValueError, match="lesson 09_broken") as err:
        build_assignments.source_notebook(_lesson_file(tmp_path, cells))
    assert message in str(err.value)


@pytest.mark.parametrize(("call", "argument"), [
    (lambda tmp: build_assignments.source_notebook(tmp / "missing.ipynb"), "lesson_path"),
    (lambda tmp: build_assignments.source_notebook(None), "lesson_path"),
    (lambda tmp: build_assignments.write_course(tmp, []), "lessons"),
    (lambda tmp: build_assignments.write_course(tmp, ROOT / "notebooks" / "00_start_here.ipynb"), "lessons"),
    (lambda tmp: build_assignments.write_course(None, [ROOT / "notebooks" / "00_start_here.ipynb"]), "course"),
    (lambda tmp: build_assignments.nbgrader(tmp / "missing", "export"), "course"),
    (lambda tmp: build_assignments.nbgrader(tmp), "args"),
])
def test_bad_input_raises_a_value_error_naming_the_argument(tmp_path, call, argument):
    with pytest.raises(ValueError, match=f"^{argument} must"):
        call(tmp_path)
