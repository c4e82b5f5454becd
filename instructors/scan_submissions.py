"""List what to read yourself in a course's submissions before you autograde them.

For every submitted/<student>/<assignment>/ folder of an nbgrader course: the code cells a student
wrote or changed (every cell not identical to the release's read-only cell of the same id) that
touch the import system, the answer key, files or numpy's functions, and every file or folder
other than the assignment's notebook (a renamed notebook, "…-Copy1.ipynb", is not graded; a
helpers/ folder would be copied beside the notebook when it is graded). A finding is not proof of
cheating: read the cell.

Usage: python instructors/scan_submissions.py [COURSE]   (default: the current directory)
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat

# What a graded notebook has no need for, each with the pattern that finds it in a cell.
SUSPICIOUS = {
    "importlib": r"\bimportlib\b",
    "__import__": r"\b__import__\b",
    "sys.modules": r"\bsys\.modules\b",
    "sys.path": r"\bsys\.path\b",
    "sys.meta_path": r"\bsys\.meta_path\b",
    "builtins": r"\bbuiltins\b",
    "open(": r"\bopen\(",
    "os.": r"\bos\.",
    "helpers.exercises": r"\bhelpers\.exercises\b",
    "KEYS": r"\bKEYS\b",
    "np.<name> =": r"\bnp(\.\w+)+\s*=(?!=)",
    "_showtraceback": r"\b_showtraceback\b",
}
IGNORED = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}


def _read_only(notebook: Path) -> dict[str, str]:
    """The release's read-only cells, by nbgrader id: their source."""
    nb = nbformat.read(notebook, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("locked")}


def _cell_findings(notebook: Path, read_only: dict[str, str]) -> list[str]:
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:                  # a broken notebook is itself worth a look
        return [f"cannot be read ({type(exc).__name__})"]
    found = []
    for i, cell in enumerate(nb.cells, 1):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code" or read_only.get(grade_id) == cell.source:
            continue
        hits = [name for name, pattern in SUSPICIOUS.items() if re.search(pattern, cell.source)]
        if hits:
            found.append(f"cell {i} ({grade_id or 'a cell the student added'}): {', '.join(hits)}")
    return found


def scan(course: Path) -> list[tuple[str, str, str]]:
    """Every finding in ``course/submitted``, as (student, assignment, what), sorted."""
    if not isinstance(course, (str, os.PathLike)) or not (Path(course) / "submitted").is_dir():
        raise ValueError(f"course must be an nbgrader course directory with a submitted/ folder, got {course!r}")
    course = Path(course)
    findings = []
    for folder in sorted(p for p in (course / "submitted").glob("*/*") if p.is_dir()):
        student, assignment = folder.parent.name, folder.name
        expected = folder / f"{assignment}.ipynb"
        release = course / "release" / assignment / f"{assignment}.ipynb"
        read_only = _read_only(release) if release.is_file() else {}
        if not expected.is_file():
            findings.append((student, assignment, f"no {expected.name}: nothing will be graded"))
        else:
            findings += [(student, assignment, what) for what in _cell_findings(expected, read_only)]
        for extra in sorted(folder.iterdir()):
            if extra != expected and extra.name not in IGNORED and extra.name != "timestamp.txt":
                kind = "folder" if extra.is_dir() else "file"
                what = f"extra {kind} {extra.name} (not graded; copied beside the notebook)"
                findings.append((student, assignment, what))
    return findings


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    course = Path(args[0]) if args else Path.cwd()
    try:
        findings = scan(course)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    for student, assignment, what in findings:
        print(f"{student}\t{assignment}\t{what}")
    advice = ": read those cells and files yourself" if findings else ""
    print(f"{len(findings)} findings in {course / 'submitted'}{advice}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
