"""nbgrader's settings for the course's homework. scripts/build_assignments.py copies this file into
the course directory (build/assignments/), where every nbgrader command reads it; edit it here.
See the README, "For instructors"."""
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor

c = get_config()  # noqa: F821  (nbgrader defines get_config when it reads this file)

# Each answer cell keeps the lesson's placeholder (`answer = None  # your code here`) above its
# solution region, so the region is removed without a stub of nbgrader's own (which would raise
# NotImplementedError under the placeholder).
c.ClearSolutions.code_stub = {"python": ""}

# A worked solution runs in a few seconds; a submitted cell that runs for two minutes is stopped and
# scores nothing (nbgrader's default, 30 s a cell, is tight on a busy grading machine).
c.Execute.timeout = 120

# The feedback shows each student their graded notebook: without the hidden tests (as in the
# release), and with a grade cell's error cut to its last line, since a traceback quotes the
# hidden test's code.
class ShortErrors(NbGraderPreprocessor):
    """Cut each error of a grade cell to its last line, "AssertionError: Exercise 2 is not right yet: …"."""

    def preprocess_cell(self, cell, resources, index):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, ClearHiddenTests, ShortErrors]
