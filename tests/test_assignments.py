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
import html
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from tests.exercise_mistakes import MISTAKES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "instructors"))
import build_assignments  # noqa: E402
import scan_submissions  # noqa: E402

LESSONS = [name.removesuffix(".ipynb") for name in sorted(MISTAKES)]
# Kept apart from build_assignments.POINTS on purpose: the expected scores must not come from the
# code under test.
POINTS = {"03.2": 2, "07.2": 2}           # the two longest exercises; every other exercise: 1 point
STUDENTS = ("right", "wrong")
WARN = "warn"                             # hands in lesson 03 only, all right, 03.2 warning on stderr

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
import importlib
_import_module = importlib.import_module
def _patched(name, *args):
    module = _import_module(name, *args)
    if name == "helpers.exercises":
        module.check = lambda exercise, answer: True
    return module
importlib.import_module = _patched
"""
# A helper function the key of 04.3 uses, patched so that the mistaken answer is its argmax.
HELPER_CHEAT = """
import helpers.exercises, helpers.linalg
helpers.linalg.matrix_power_norms = helpers.exercises.matrix_power_norms = lambda A, n: np.eye(1, n + 1, answer_3)[0]
"""
# The shadow: a copy of helpers/ handed in beside the notebook, whose check accepts anything.
SHADOW_CHECK = """
def check(exercise, answer):
    print(f"✓ Exercise {exercise.split('.')[1]}: correct.")
    return True
"""
# A right 03.2 whose function warns and prints to stderr: it must keep its points.
WARNING = """
import sys, warnings
_right_backward = my_backward
def my_backward(dh, cache):
    warnings.warn("a deprecated call", DeprecationWarning)
    print("note on stderr", file=sys.stderr)
    return _right_backward(dh, cache)
ok = check("03.2", my_backward)
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
            code += HELPER_CHEAT if (lesson[:2], n) == ("04", 3) else ""
        if student == WARN and (lesson[:2], n) == ("03", 2):
            code += WARNING
        cell.source = cell.source.rstrip("\n") + "\n" + code
    return nb


def _shadow(folder: Path) -> None:
    """Hand in a working copy of helpers/ (and the data it reads) beside the notebook, with a check
    that accepts anything."""
    shutil.copytree(ROOT / "helpers", folder / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", folder / "data")   # helpers/data.py reads ../data: a working copy
    with open(folder / "helpers" / "exercises.py", "a") as f:
        f.write(SHADOW_CHECK)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The graded course: built in two steps (the last lesson alone, as `make assignments
    LESSONS=07` would), the students autograded, grades.csv and the feedback of lesson 04."""
    course = tmp_path_factory.mktemp("assignments")
    paths = [ROOT / "notebooks" / f"{lesson}.ipynb" for lesson in LESSONS]
    assert build_assignments.build(course, paths[:-1]) == LESSONS[:-1]
    first = {str(p): p.stat().st_mtime_ns for p in (course / "release").glob("*/*.ipynb")}
    _first_releases(course).write_text(json.dumps(first))
    assert build_assignments.build(course, paths[-1:]) == LESSONS[-1:]
    for lesson in LESSONS:
        release = nbformat.read(course / "release" / lesson / f"{lesson}.ipynb", as_version=4)
        for student in STUDENTS + (WARN,) * (lesson[:2] == "03"):
            folder = course / "submitted" / student / lesson
            folder.mkdir(parents=True)
            nbformat.write(_handed_in(release, lesson, student), folder / f"{lesson}.ipynb")
            if student == "wrong":
                _shadow(folder)
    build_assignments.nbgrader(course, "autograde", "*")
    build_assignments.nbgrader(course, "export")
    build_assignments.nbgrader(course, "generate_feedback", "04_vanishing_exploding")
    return course


def _first_releases(course: Path) -> Path:
    """Where the fixture notes the first releases' modification times (beside the course)."""
    return course.with_name(course.name + "-first-releases.json")


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
    hidden = [list(re.finditer(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", c.source, re.DOTALL))
              for c in _source(course, lesson).cells if _nbgrader(c).get("grade")]
    assert hidden and all(hidden)
    for line in {line.strip() for ms in hidden for m in ms for line in m.group(1).splitlines()} - {""}:
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
    if lesson.startswith("03"):
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            graded = gb.find_submission_notebook(lesson, lesson, WARN)
            assert {g.name: g.score for g in graded.grades} == {f"test_03_{n}": _points(lesson, n)
                                                                 for n, _, _ in MISTAKES[f"{lesson}.ipynb"]}
        warned = nbformat.read(course / "autograded" / WARN / lesson / f"{lesson}.ipynb", as_version=4)
        answer = [c for c in warned.cells if _nbgrader(c).get("grade_id") == "answer_03_2"][0]
        assert any(o.get("name") == "stderr" for o in answer.outputs), "the 03.2 answer no longer writes to stderr"
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
    # the student who handed in lesson 03 alone has a row, with no score, for every other lesson
    expected |= {(lesson, WARN): (_expected_score(lesson, "right") if lesson.startswith("03") else 0.0,
                                  _expected_score(lesson, "right")) for lesson in LESSONS}
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
    (lambda tmp: build_assignments.build(None, [ROOT / "notebooks" / "00_start_here.ipynb"]), "course"),
    (lambda tmp: build_assignments.build(tmp, []), "lessons"),
    (lambda tmp: build_assignments.lesson_paths(["99"]), "lessons"),
    (lambda tmp: build_assignments.lesson_paths([]), "lessons"),
])
def test_bad_input_raises_a_value_error_naming_the_argument(tmp_path, call, argument):
    with pytest.raises(ValueError, match=f"^{argument} must"):
        call(tmp_path)


@graded
def test_a_second_build_of_one_lesson_leaves_the_other_releases_alone(course):
    first = json.loads(_first_releases(course).read_text())
    assert len(first) == len(LESSONS) - 1
    assert {p: Path(p).stat().st_mtime_ns for p in first} == first
    assert (course / "release" / LESSONS[-1] / f"{LESSONS[-1]}.ipynb").is_file()


@graded
def test_a_lesson_that_students_handed_in_is_not_regenerated_without_the_flag(course):
    source = course / "source" / LESSONS[0] / f"{LESSONS[0]}.ipynb"
    before = source.stat().st_mtime_ns
    with pytest.raises(ValueError, match="^lessons must not include .*--regenerate-submitted") as err:
        build_assignments.build(course, [ROOT / "notebooks" / f"{LESSONS[0]}.ipynb"])
    assert f"{LESSONS[0]}, handed in by 2 students" in str(err.value)
    assert source.stat().st_mtime_ns == before


@graded
def test_feedback_holds_no_hidden_test_line(course):
    lesson = "04_vanishing_exploding"
    pages = {s: (course / "feedback" / s / lesson / f"{lesson}.html").read_text() for s in STUDENTS}
    hidden = {line.strip() for c in _source(course, lesson).cells if _nbgrader(c).get("grade")
              for m in re.finditer(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", c.source, re.DOTALL)
              for line in m.group(1).splitlines()} - {""}
    assert len(hidden) > 10
    for student, page in pages.items():
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        assert "Exercise 2" in text, student
        for line in hidden:
            assert line not in text, f"{student}'s feedback shows the hidden test's line {line!r}"
    assert "is not right yet" in html.unescape(re.sub(r"<[^>]+>", "", pages["wrong"]))


@graded
def test_scan_submissions_lists_the_cheats_and_the_handed_in_folder(course):
    findings = scan_submissions.scan(course)
    by_student = {s: [(a, w) for st, a, w in findings if st == s] for s in (*STUDENTS, WARN)}
    assert by_student["right"] == []
    assert by_student[WARN] == []
    wrong_04 = [w for a, w in by_student["wrong"] if a == "04_vanishing_exploding"]
    assert any("answer_04_2" in w and "importlib" in w and "KEYS" in w and "helpers.exercises" in w for w in wrong_04)
    assert any("answer_04_3" in w and "helpers.exercises" in w for w in wrong_04)
    assert "extra folder helpers (not graded; copied beside the notebook)" in wrong_04
    assert "extra folder data (not graded; copied beside the notebook)" in wrong_04


def test_scan_submissions_finds_a_renamed_notebook_and_patched_numpy(tmp_path):
    folder = tmp_path / "submitted" / "ada" / "04_x"
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[_code("import numpy as np\nnp.allclose = lambda *a: True"),
                                         _code("x = np.linalg.norm(a) == 1")])
    nbformat.write(nb, folder / "04_x-Copy1.ipynb")
    assert scan_submissions.scan(tmp_path) == [
        ("ada", "04_x", "no 04_x.ipynb: nothing will be graded"),
        ("ada", "04_x", "extra file 04_x-Copy1.ipynb (not graded; copied beside the notebook)")]
    (folder / "04_x-Copy1.ipynb").rename(folder / "04_x.ipynb")
    assert scan_submissions.scan(tmp_path) == [("ada", "04_x", "cell 1 (a cell the student added): np.<name> =")]
    with pytest.raises(ValueError, match="^course must be an nbgrader course"):
        scan_submissions.scan(tmp_path / "missing")
