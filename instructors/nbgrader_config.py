"""nbgrader's settings for the course's homework. scripts/build_assignments.py copies this file into
the course directory (build/assignments/), where every nbgrader command reads it; edit it here.
See the README, "For instructors"."""
c = get_config()  # noqa: F821  (nbgrader defines get_config when it reads this file)

# Each answer cell keeps the lesson's placeholder (`answer = None  # your code here`) above its
# solution region, so the region is removed without a stub of nbgrader's own (which would raise
# NotImplementedError under the placeholder).
c.ClearSolutions.code_stub = {"python": ""}

# A worked solution runs in a few seconds; a submitted cell that runs for two minutes is stopped and
# scores nothing (nbgrader's default, 30 s a cell, is tight on a busy grading machine).
c.Execute.timeout = 120
