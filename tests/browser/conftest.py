"""Fixtures for the browser tests: one JupyterLab per session, one Chromium per session, a fresh
browser context per test (offline: anything off 127.0.0.1 / file:// is refused and recorded).

Without Chromium (/usr/bin/chromium or $CHROMIUM) the browser tests skip with a loud reason,
except when CI=true, where a missing browser fails the run: in CI a skip is not a pass.
Screenshots of failing tests go to build/screenshots/.

COURSE_NOTEBOOKS=/some/dir points the tests at another folder of notebooks (for developing the
tests against scratch notebooks); the default, and what CI runs, is the course's notebooks/.
The servers, the page helpers and what the notebooks promise live in browser_harness.py (shared
with benchmarks/bench_browser_latency.py).
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_harness as harness  # noqa: E402

NOTEBOOKS_DIR, NOTEBOOKS, nb_id = harness.NOTEBOOKS_DIR, harness.NOTEBOOKS, harness.nb_id
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
NO_BROWSER = ("BROWSER TESTS NOT RUN: no Chromium at "
              f"{os.environ.get('CHROMIUM', '/usr/bin/chromium')} "
              "(install it with `apt-get install -y chromium`, or set $CHROMIUM)")
_missing: list[str] = []


def require(ok: bool, reason: str) -> None:
    """Skip loudly, or fail under CI=true, when a prerequisite of the browser tests is missing."""
    if ok:
        return
    if reason not in _missing:
        _missing.append(reason)
    if IN_CI:
        pytest.fail(f"{reason} [CI=true: a missing prerequisite fails the run]", pytrace=False)
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    if _missing:
        terminalreporter.write_sep("!", "BROWSER TESTS NOT RUN" + (" (CI: FAILED)" if IN_CI else ""),
                                   red=True, bold=True)
        for reason in _missing:
            terminalreporter.write_line(reason, red=True, bold=True)


@pytest.fixture(scope="session")
def chromium_exe() -> Path:
    path = harness.chromium_path()
    require(path is not None, NO_BROWSER)
    return path


@pytest.fixture(scope="session")
def browser(chromium_exe):
    from playwright.sync_api import sync_playwright
    pw = sync_playwright().start()
    try:
        b = harness.launch_browser(pw)
    except Exception:
        pw.stop()
        raise
    yield b
    b.close()
    pw.stop()


@pytest.fixture(scope="session")
def course(tmp_path_factory) -> Path:
    """A private copy of the course that the servers work on (nothing is saved over notebooks/)."""
    return harness.course_copy(NOTEBOOKS_DIR, tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def lab(course, chromium_exe, tmp_path_factory):
    server = harness.start_lab(course, tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


class Context:
    """A browser context plus the list of off-machine requests it refused."""

    def __init__(self, browser):
        self.blocked: list[str] = []
        self.context = harness.new_context(browser, self.blocked)
        self.context.add_init_script(harness.PAGE_HELPERS)
        self.pages_errors: list[str] = []

    def new_page(self):
        page = self.context.new_page()
        page.on("pageerror", lambda e: self.pages_errors.append(str(e)))
        return page

    def assert_offline(self) -> None:
        assert not self.blocked, f"the page tried to load from the network: {self.blocked[:5]}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def context(browser):
    ctx = Context(browser)
    yield ctx
    ctx.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, save a screenshot of every open page of the test under build/screenshots/."""
    outcome = yield
    report = outcome.get_result()
    if report.when not in ("setup", "call") or not report.failed:
        return
    contexts = [v for v in getattr(item, "funcargs", {}).values() if isinstance(v, (Context, LabRun))]
    pages = []
    for v in contexts:
        ctx = v.context if isinstance(v, Context) else v.ctx.context
        pages.extend(p for p in ctx.pages if not p.is_closed())
    if not pages:
        return
    harness.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1])
    for i, page in enumerate(pages):
        path = harness.SCREENSHOTS / f"{name}{'-' + str(i) if i else ''}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
            report.sections.append(("screenshot", str(path)))
        except Exception as exc:  # a crashed page: say so instead of hiding the test's failure
            report.sections.append(("screenshot", f"could not save {path}: {exc}"))


class LabRun:
    """One notebook opened in JupyterLab, its outputs cleared and every cell run once."""

    def __init__(self, path: Path, ctx: Context, lab: harness.Server):
        self.path, self.ctx, self.lab = path, ctx, lab
        self.nb = harness.read_notebook(path)
        self.page = harness.open_in_lab(ctx, lab, f"notebooks/{path.name}")
        if harness.deck_active(self.page):  # left on by a test that failed mid-deck
            harness.stop_deck(self.page)
        self.page.evaluate("jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        harness.run_all(self.page)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "notebooks(predicate): run this lab_run test only on the notebooks for which "
                   "predicate(path, notebook_json) is true (the others are deselected, not skipped)")


def pytest_collection_modifyitems(config, items):
    """Deselect lab_run tests on notebooks they do not apply to (a test of sliders on a notebook
    without any), so that every reported skip means a missing prerequisite."""
    keep, drop = [], []
    for item in items:
        marker = item.get_closest_marker("notebooks")
        path = getattr(item, "callspec", None) and item.callspec.params.get("lab_run")
        if marker and path is not None and not marker.args[0](path, harness.read_notebook(path)):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=nb_id)
def lab_run(request, browser, lab):
    """Run each notebook once in JupyterLab for all the tests of a module; then close it and
    shut its kernel down (even when a test failed)."""
    ctx = Context(browser)
    try:
        run = LabRun(request.param, ctx, lab)
    except BaseException:
        harness.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for page in ctx.context.pages:
            page.screenshot(path=str(harness.SCREENSHOTS / f"open-{request.param.stem}.png"))
        ctx.close()
        harness.shutdown_kernels(lab)
        raise
    yield run
    ctx.close()
    harness.shutdown_kernels(lab)


@pytest.fixture(scope="session")
def slide_assets():
    """The vendor copies that Voila's template and the static decks load (make slides-assets)."""
    sys.path.insert(0, str(harness.PRESENTING))
    import assets
    if not assets.is_installed():
        require(assets.NODE_MODULES.exists(), "SLIDE TESTS NOT RUN: " + assets.missing_message())
        assets.install()
    return assets


@pytest.fixture(scope="session")
def decks(slide_assets, tmp_path_factory) -> Path:
    """Static decks of every notebook, built as `make slides` builds them, in a temp folder."""
    sys.path.insert(0, str(harness.ROOT / "scripts"))
    import build_slides
    out = tmp_path_factory.mktemp("slides")
    build_slides.build(NOTEBOOKS, out)
    return out
