"""Start JupyterLab, Voila and Chromium for the browser tests and the latency benchmark.

Everything runs on 127.0.0.1 with a random free port and a random token, from a private copy of
the course in a temporary directory (so a test can never save over a committed notebook), with
Jupyter's config, data, runtime and IPython directories isolated in that temporary directory.
``stop()`` deletes the kernels and ends the whole process group, and is safe to call twice.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PRESENTING = ROOT / "presenting"
SCREENSHOTS = ROOT / "build" / "screenshots"
# The notebooks under test: the course's, or COURSE_NOTEBOOKS (scratch notebooks, for development).
NOTEBOOKS_DIR = Path(os.environ.get("COURSE_NOTEBOOKS", ROOT / "notebooks")).resolve()
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
sys.path.insert(0, str(PRESENTING))
import present  # noqa: E402  (presenting/present.py: the Voila command of `make present`)

# Chromium must not phone home: without these flags it floods a closed network with requests.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
]


def chromium_path() -> Path | None:
    """The Chromium to drive: $CHROMIUM if set, else Debian's /usr/bin/chromium; None if absent."""
    path = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    return path if path.is_file() and os.access(path, os.X_OK) else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def course_copy(notebooks_dir: Path, workdir: Path) -> Path:
    """A throwaway copy of the course: notebooks copied, everything else they read linked."""
    course = workdir / "course"
    course.mkdir(parents=True)
    shutil.copytree(notebooks_dir, course / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name in ("data", "helpers"):
        if (ROOT / name).exists():
            (course / name).symlink_to(ROOT / name)
    return course


def isolated_env(workdir: Path) -> dict:
    """Environment for a Jupyter process that reads nothing from the user's home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
                     ("MPLCONFIGDIR", "mpl")):
        env[var] = str(workdir / sub)
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    # The course's Voila template (extensions still come from sys.prefix/share/jupyter).
    env = present.voila_env(env)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Server:
    """A Jupyter-family server process on 127.0.0.1 (JupyterLab or Voila)."""

    def __init__(self, argv: list[str], port: int, token: str, workdir: Path, env: dict,
                 name: str, ready_path: str):
        self.port, self.token, self.workdir, self.name = port, token, workdir, name
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = workdir / f"{name}.log"
        self._log = open(self.log_path, "wb")      # noqa: SIM115 (open for the server's life; closed in stop)
        self.proc = subprocess.Popen(argv, cwd=workdir, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready(ready_path)

    def url(self, path: str = "/", **query) -> str:
        query = {**query, "token": self.token}
        sep = "&" if "?" in path else "?"
        return self.base + path + sep + "&".join(f"{k}={v}" if v != "" else k for k, v in query.items())

    def api(self, method: str, path: str):
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def _wait_ready(self, path: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log()}")
            try:
                self.api("GET", path)
                return
            except urllib.error.HTTPError:
                return  # it answers (Voila serves only its notebook; any reply means it is up)
            except (urllib.error.URLError, ConnectionError, OSError, json.JSONDecodeError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer on {self.base} within {timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def delete_kernels(self) -> None:
        try:
            for k in self.api("GET", "/api/kernels") or []:
                self.api("DELETE", f"/api/kernels/{k['id']}")
        except (urllib.error.URLError, OSError, ValueError):
            pass  # the server is already gone; the process-group kill below ends its kernels

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.delete_kernels()
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.proc.pid, sig)  # the server and the kernels it started
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        # kernels outlive a SIGTERMed server only in their own group: end ours
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self._log.close()


def start_lab(course: Path, workdir: Path) -> Server:
    """JupyterLab on the course copy. Tests only: --allow-root, app exposed as window.jupyterapp."""
    env = isolated_env(workdir)
    settings = workdir / "lab-settings"
    # Render every cell (no windowing), never autosave, no update/news checks.
    for plugin, values in {
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        pkg, name = plugin.rsplit("/", 1)
        (settings / pkg).mkdir(parents=True, exist_ok=True)
        (settings / pkg / f"{name}.jupyterlab-settings").write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    argv = [str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={course}",
            "--LabApp.expose_app_in_browser=True", f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.news_url=", "--LabApp.extension_manager=readonly",
            "--ServerApp.log_level=WARN"]
    return Server(argv, port, token, workdir, env, "jupyterlab", "/api/status")


def start_voila(notebook: Path, workdir: Path) -> Server:
    """Voila exactly as `make present` starts it (presenting/present.py), without a browser tab."""
    env = isolated_env(workdir)
    port, token = free_port(), secrets.token_hex(16)
    return Server(present.voila_argv(notebook, port, token), port, token, workdir, env,
                  f"voila-{notebook.stem}", "/api/kernels")


def open_voila_deck(context, notebook: Path, workdir: Path) -> tuple[Server, object]:
    """Start Voila on ``notebook`` as `make present` does and open its deck in a new page of
    ``context``; returns (server, page) once reveal.js is ready. The caller stops the server."""
    server = start_voila(notebook, workdir)
    try:
        page = context.new_page()
        page.goto(server.url("/"), timeout=120000)      # Voila runs the whole lesson before it answers
        page.wait_for_selector(".reveal.ready", timeout=120000)
    except BaseException:
        server.stop()
        raise
    return server, page


def launch_browser(playwright):
    """Debian's Chromium (never a Playwright download) with a fresh profile."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium: apt-get install -y chromium, or set $CHROMIUM")
    return playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS,
                                      headless=True)


def new_context(browser, offline_log: list):
    """A browser context at 1280x720 in which any request off 127.0.0.1 / file:// is refused
    and recorded (the course must work offline; a CDN request is a bug)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720},
                                  device_scale_factor=1, service_workers="block")

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "file://", "data:", "blob:", "ws://127.0.0.1")):
            route.continue_()
        else:
            offline_log.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", guard)
    return context


# ---------------------------------------------------------------------------------------------
# What the committed notebooks promise (read from the .ipynb, independently of any browser)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def nb_id(path: Path) -> str:
    return path.stem


def slider_notebook() -> Path:
    """The lesson the slide tests present: lesson 04, whose gradient explorer is the course's
    showpiece live figure."""
    lesson = next((p for p in NOTEBOOKS if p.name.startswith("04")), None)
    if lesson is None or not live_figures(read_notebook(lesson)):
        raise RuntimeError("the slide tests present lesson 04's live explorer, but notebooks/04_*.ipynb "
                           "with a live figure was not found")
    return lesson


def read_notebook(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def slide_type(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def figure_outputs(nb: dict, shown_in_slides: bool = False) -> int:
    """Stored outputs that are figures: image/png (static plots and LiveFigure fallbacks).
    shown_in_slides counts only cells a deck shows (not "skip")."""
    return sum("image/png" in out.get("data", {})
               for cell in nb["cells"] if cell["cell_type"] == "code"
               if not (shown_in_slides and slide_type(cell) == "skip")
               for out in cell.get("outputs", []))


def live_figures(nb: dict) -> int:
    """Stored outputs of helpers.livefig.LiveFigure: a widget view with a PNG fallback."""
    return sum(WIDGET_VIEW in out.get("data", {}) and "image/png" in out.get("data", {})
               for cell in nb["cells"] if cell["cell_type"] == "code"
               for out in cell.get("outputs", []))


def live_figure_titles(nb: dict) -> list[str]:
    """What each stored live figure is, in page order: the title in its plain-text form
    ("<interactive: TITLE (run the notebook to use the controls)>"), for the latency benchmark."""
    texts = ["".join(out["data"].get("text/plain", ""))
             for cell in nb["cells"] if cell["cell_type"] == "code"
             for out in cell.get("outputs", [])
             if WIDGET_VIEW in out.get("data", {}) and "image/png" in out.get("data", {})]
    return [re.sub(r"^<interactive: (.*?)(?: \(run the notebook to use the controls\))?>$", r"\1", t, flags=re.S)
            for t in texts]


CHOICE_MODELS = ("DropdownModel", "ToggleButtonsModel", "RadioButtonsModel")


def choice_controls(nb: dict) -> int:
    """Choice widgets (dropdowns, toggle buttons, radio buttons) in the stored widget state."""
    state = nb.get("metadata", {}).get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    return sum(m.get("model_name") in CHOICE_MODELS for m in state.values())


def expected_slides(nb: dict) -> int:
    """How many slides (reveal's horizontal and vertical slides) the metadata asks for: the
    first shown cell opens a slide; every later "slide" or "subslide" cell opens another."""
    types = [slide_type(c) for c in nb["cells"]]
    shown = [i for i, t in enumerate(types) if t not in ("skip", "notes")]
    if not shown:
        return 0
    return 1 + sum(t in ("slide", "subslide") for t in types[shown[0] + 1:])


_CODE_SPAN = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.S)
_DISPLAY_MATH = re.compile(r"\$\$.+?\$\$|\\\[.+?\\\]|\\begin\{([a-z*]+)\}.+?\\end\{\1\}", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)[^$\n]+?(?<![\s\\])\$(?!\d)|\\\(.+?\\\)", re.S)


def math_spans(markdown: str) -> int:
    """Number of TeX expressions in a markdown cell ($…$, $$…$$, \\(…\\), \\[…\\],
    \\begin{…}…\\end{…}) outside code; what MathJax should typeset."""
    text = _CODE_SPAN.sub("", markdown)
    n_display = len(_DISPLAY_MATH.findall(text))
    text = _DISPLAY_MATH.sub(" ", text)
    return n_display + len(_INLINE_MATH.findall(text))


def markdown_math(nb: dict, shown_in_slides: bool = False) -> list[int]:
    """math_spans of every markdown cell, in order (optionally only cells a deck shows)."""
    return [math_spans("".join(c["source"]) if isinstance(c["source"], list) else c["source"])
            for c in nb["cells"] if c["cell_type"] == "markdown"
            if not (shown_in_slides and slide_type(c) == "skip")]


# ---------------------------------------------------------------------------------------------
# In the page: find live figures, fingerprint their pixels, read their status line

PAGE_HELPERS = r"""
window.__course = {
  // A helpers.livefig.LiveFigure is a VBox whose children are rows of controls, a status HTML
  // line and an ipympl canvas: find it from the canvas, in JupyterLab, Voila and slideshows.
  tag() {
    const roots = Array.from(document.querySelectorAll('.jupyter-matplotlib'))
      .map(m => m.parentElement)
      .filter(p => p && p.classList.contains('widget-vbox')
                   && p.querySelector('.widget-slider, .widget-dropdown'));
    roots.forEach((e, i) => e.setAttribute('data-livefig', String(i)));
    return roots.length;
  },
  root(k) { return document.querySelector(`[data-livefig="${k}"]`); },
  canvas(k) { return this.root(k).querySelector('.jupyter-matplotlib-figure canvas'); },
  // FNV-1a over every pixel of the figure canvas: changes iff the drawn image changes.
  hash(k) {
    const c = this.canvas(k);
    if (!c || !c.width || !c.height) return 'empty';
    const d = c.getContext('2d', {willReadFrequently: true}).getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    for (let i = 0; i < d.length; i++) { h ^= d[i]; h = Math.imul(h, 16777619); }
    let ink = false;
    for (let i = 0; i < d.length; i += 4) { if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) { ink = true; break; } }
    return (ink ? '' : 'blank:') + (h >>> 0).toString(16) + ':' + c.width + 'x' + c.height;
  },
  status(k) {
    const s = Array.from(this.root(k).children).find(e => e.classList.contains('widget-html'));
    return s ? s.innerText.trim() : '';
  },
};
"""


class LiveFigureDriver:
    """Move the controls of the k-th live figure on a page and watch its pixels and status."""

    def __init__(self, page, k: int, timeout_ms: int = 15000):
        self.page, self.k, self.timeout = page, k, timeout_ms
        self.root = page.locator(f'[data-livefig="{k}"]')

    def state(self) -> tuple[str, str]:
        return (self.page.evaluate("k => __course.hash(k)", self.k),
                self.page.evaluate("k => __course.status(k)", self.k))

    def wait_change(self, before: tuple[str, str], need_status: bool = True) -> tuple[str, str]:
        """Wait until the pixels (and the status line) differ from ``before``; return the new
        state, or the unchanged parts after the timeout (the caller asserts)."""
        with contextlib.suppress(Exception):       # playwright TimeoutError: report what we see instead
            self.page.wait_for_function(
                """([k, h, s, needStatus]) => __course.hash(k) !== h && !__course.hash(k).startsWith('blank')
                      && (!needStatus || __course.status(k) !== s)""",
                arg=[self.k, before[0], before[1], need_status], timeout=self.timeout, polling=20)
        return self.state()

    def sliders(self):
        return self.root.locator(".widget-slider")

    def dropdowns(self):
        return self.root.locator(".widget-dropdown select")

    def toggle_buttons(self):
        """Each ToggleButtons widget (its buttons are ``.widget-toggle-button``)."""
        return self.root.locator(".widget-toggle-buttons")

    def press_to_edge(self, i: int) -> str:
        """Focus the i-th slider's handle and press End (Home if it already sits at the end)."""
        handle = self.sliders().nth(i).locator(".noUi-handle").first
        now, top = handle.get_attribute("aria-valuenow"), handle.get_attribute("aria-valuemax")
        key = "Home" if now is not None and now == top else "End"
        handle.focus()
        self.page.keyboard.press(key)
        return key

    def readout(self, i: int) -> str:
        return self.sliders().nth(i).locator(".widget-readout").inner_text().strip()

    def type_readout(self, i: int, text: str) -> None:
        box = self.sliders().nth(i).locator(".widget-readout")
        box.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")


def move_first_slider(page) -> list[str]:
    """Press End (or Home) on the first slider of live figure 0; say what did not change."""
    fig = LiveFigureDriver(page, 0)
    assert fig.sliders().count() > 0, "the first live figure has no slider"
    before = fig.state()
    key = fig.press_to_edge(0)
    after = fig.wait_change(before, need_status=bool(before[1]))
    problems = []
    if after[0] == before[0]:
        problems.append(f"{key} on the slider handle did not change the plot's pixels")
    if before[1] and after[1] == before[1]:
        problems.append(f"{key} on the slider handle left the status at {before[1]!r}")
    return problems


def wait_widgets(page, expected: int, timeout_ms: int = 120000) -> int:
    """Wait until ``expected`` live figures are on the page with drawn canvases; tag them."""
    page.wait_for_function(
        """n => __course.tag() >= n && Array.from({length: n}, (_, k) => __course.hash(k))
                 .every(h => h !== 'empty' && !h.startsWith('blank'))""",
        arg=expected, timeout=timeout_ms, polling=200)
    return page.evaluate("() => __course.tag()")


# ---------------------------------------------------------------------------------------------
# JupyterLab: open a notebook, run it, read what it shows

KERNEL_IDLE = """() => { const w = window.jupyterapp && jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle'
         && w.content && w.content.widgets && w.content.widgets.length > 0; }"""

# Run All is over when the kernel is idle, no cell is running or queued, and either every code
# cell has run or a cell failed (JupyterLab then cancels the rest of the queue).
ALL_RAN = """() => { const w = jupyterapp.shell.currentWidget;
  const code = w.content.widgets.filter(c => c.model.type === 'code');
  const busy = code.some(c => c.promptNode && c.promptNode.textContent.includes('*'));
  const failed = !!w.node.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  return w.sessionContext.session.kernel.status === 'idle' && !busy
         && (failed || code.every(c => c.model.executionCount !== null)); }"""


def open_in_lab(context, lab: Server, rel_path: str, timeout_ms: int = 120000):
    """A new page on JupyterLab with the notebook open (fresh workspace) and its kernel idle."""
    page = context.new_page()
    page.goto(lab.url(f"/lab/tree/{rel_path}", reset=""))
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms, polling=250)
    return page


DECK_SETTINGS = "jupyterlab-slideshow:plugin"


def deck_setting(page, active: bool, timeout_ms: int = 15000) -> None:
    """Wait until jupyterlab-slideshow's user setting "active" is ``active`` on the server. The
    deck saves it asynchronously and reopens every notebook as a deck while it is true."""
    page.wait_for_function(
        """([id, want]) => jupyterapp.serviceManager.settings.fetch(id)
              .then(s => !!(s.settings || {}).active === want)""",
        arg=[DECK_SETTINGS, active], timeout=timeout_ms, polling=200)


def stop_deck(page) -> None:
    """Leave presentation mode, and wait until the saved setting says so."""
    page.evaluate("jupyterapp.commands.execute('deck:stop')")
    deck_setting(page, False)


def deck_active(page) -> bool:
    return page.evaluate("() => document.body.dataset.jpDeckMode === 'presenting'")


def run_all(page, timeout_ms: int = 300000) -> None:
    page.evaluate("jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(ALL_RAN, timeout=timeout_ms, polling=250)


def lab_errors(page) -> list[str]:
    """Text of every error/traceback or stderr output shown in the notebook."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
        + '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'))
        .map(e => e.innerText.slice(0, 500))""")


def shutdown_kernels(lab: Server) -> None:
    for s in lab.api("GET", "/api/sessions") or []:
        lab.api("DELETE", f"/api/sessions/{s['id']}")
    lab.delete_kernels()


# axe-core (presenting/node_modules, from the npm registry): the accessibility rules the browser
# tests run on every deck, every website page and a lesson open in JupyterLab.
AXE = PRESENTING / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def axe_violations(page, include: str | None = None, exclude: tuple[str, ...] = ()) -> list[dict]:
    """axe-core's WCAG 2 A/AA violations of serious or critical impact on ``page``, within the
    CSS selector ``include`` (default: the whole document) and outside the ``exclude`` selectors.
    Each is ``{"id", "impact", "help", "nodes": [css targets]}``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    context = {"include": [[include]] if include else [["html"]], "exclude": [[s] for s in exclude]}
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
    result = page.evaluate("([c, o]) => axe.run(c, o)", [context, options])
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [" ".join(map(str, n["target"])) for n in v["nodes"]]}
            for v in result["violations"] if v["impact"] in SERIOUS]


# What the course's widgets tell the accessibility tree, per live figure (helpers.livefig.Access):
# each control's accessible name in page order, and what each slider and toggle button says.
ACCESS = """k => { const root = __course.root(k);
  const status = Array.from(root.children).find(e => e.classList.contains('widget-html'));
  const canvas = __course.canvas(k);
  const controls = Array.from(root.querySelectorAll(':scope > .widget-hbox > *'));
  const named = c => c.matches('[role=group]') ? c : c.querySelector('[role=slider], select, [role=group]');
  return {
    names: controls.map(c => { const e = named(c); return e ? e.getAttribute('aria-label') : null; }),
    sliders: Array.from(root.querySelectorAll('.widget-slider')).map(c => {
      const handle = c.querySelector('[role=slider]'), readout = c.querySelector('.widget-readout');
      return {valuetext: handle && handle.getAttribute('aria-valuetext'),
              readout: readout && readout.textContent.trim(), readoutRole: readout && readout.getAttribute('role')};
    }),
    pressed: Array.from(root.querySelectorAll('.widget-toggle-button')).map(b =>
      [b.classList.contains('mod-active'), b.getAttribute('aria-pressed')]),
    status: status && [status.getAttribute('role'), status.getAttribute('aria-live')],
    canvas: canvas && [canvas.getAttribute('role'), canvas.getAttribute('aria-label')],
  }; }"""


def expected_names(nb: dict) -> list[list[str]]:
    """The accessible names each live figure of ``nb`` must give its controls, in page order: the
    Control.accessible_name of its widgets module's Controls table, found by the figure's title."""
    from helpers import widgets_cliff, widgets_esn, widgets_sequences, widgets_vanishing
    tables = {"w^t against t": widgets_sequences._POWER_CONTROLS,
              "hidden states step by step": widgets_sequences._player_controls(2),
              "memory fades": widgets_sequences._MEMORY_CONTROLS,
              "vanishing / exploding gradient explorer": widgets_vanishing._CONTROLS,
              "gradient descent on the cliff": widgets_cliff._CONTROLS,
              "echo state network": widgets_esn._CONTROLS}
    found = []
    for title in live_figure_titles(nb):
        table = [t for start, t in tables.items() if title.startswith(start)]
        if len(table) != 1:
            raise ValueError(f"nb holds a live figure whose controls table is not known: {title!r}")
        found.append([c.accessible_name for c in table[0]])
    return found


def axe_findings(violations: list[dict]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][:4]}" for v in violations]


def labelled(page, n: int) -> list[dict]:
    """Wait until the n live figures carry their accessibility attributes; return them."""
    page.wait_for_function(
        """n => Array.from({length: n}, (_, k) => __course.canvas(k)).every(c => c && c.getAttribute('role') === 'img'
                 && c.getAttribute('aria-label'))""", arg=n, timeout=30000, polling=200)
    return [page.evaluate(ACCESS, k) for k in range(n)]


# Every slider of live figure k reads as its readout (a log slider's handle holds the exponent).
SLIDERS_READ_AS_READOUT = """k => Array.from(__course.root(k).querySelectorAll('.widget-slider')).every(c =>
    c.querySelector('[role=slider]').getAttribute('aria-valuetext')
      === c.querySelector('.widget-readout').textContent.trim())"""
# Every toggle button of live figure k says whether it is pressed.
TOGGLES_SAY_PRESSED = """k => Array.from(__course.root(k).querySelectorAll('.widget-toggle-button')).every(b =>
    b.getAttribute('aria-pressed') === String(b.classList.contains('mod-active')))"""


def _settled(page, js: str, k: int) -> bool:
    """Whether ``js`` (k => bool) holds for live figure k within a few seconds."""
    try:
        page.wait_for_function(js, arg=k, timeout=5000, polling=100)
    except Exception:                             # playwright's TimeoutError: the caller reports
        return False
    return True


def access_problems(page, expected: list[list[str]]) -> list[str]:
    """For the live figures on the page (``expected``: each one's accessible names, in page order,
    from :func:`expected_names`): every control named as expected, every slider read as its
    readout (the readout a named textbox), every toggle button's pressed state said, every status a
    polite live region, every canvas an image labelled; moving the first slider relabels the first
    canvas and keeps its handle read as its readout; pressing a toggle button moves aria-pressed."""
    problems = []
    for k, (a, names) in enumerate(zip(labelled(page, len(expected)), expected, strict=True)):
        if a["names"] != names:
            problems.append(f"live figure {k}: the controls' accessible names are {a['names']}, expected {names}")
        if not _settled(page, SLIDERS_READ_AS_READOUT, k) or any(s["readoutRole"] != "textbox" for s in a["sliders"]):
            problems.append(f"live figure {k}: a slider is not read as its readout: "
                            f"{page.evaluate(ACCESS, k)['sliders']}")
        if not _settled(page, TOGGLES_SAY_PRESSED, k):
            problems.append(f"live figure {k}: a toggle button's aria-pressed is wrong: "
                            f"{page.evaluate(ACCESS, k)['pressed']}")
        if a["status"] != ["status", "polite"]:
            problems.append(f"live figure {k}: the status line is not a polite live region: {a['status']}")
        if not a["canvas"] or a["canvas"][0] != "img" or len(a["canvas"][1] or "") < 40:
            problems.append(f"live figure {k}: the canvas is not an image with alt text: {a['canvas']}")
    fig = LiveFigureDriver(page, 0)
    before, label = fig.state(), page.evaluate(ACCESS, 0)["canvas"][1]
    key = fig.press_to_edge(0)
    fig.wait_change(before, need_status=bool(before[1]))
    try:
        page.wait_for_function("([k, b]) => __course.canvas(k).getAttribute('aria-label') !== b",
                               arg=[0, label], timeout=15000)
    except Exception as exc:
        problems.append(f"{key} on the first slider left the canvas's alt text at {label!r} "
                        f"(status {fig.state()[1]!r}): {str(exc)[:200]}")
    if not _settled(page, SLIDERS_READ_AS_READOUT, 0):
        problems.append(f"after {key} on the first slider its handle is not read as its readout: "
                        f"{page.evaluate(ACCESS, 0)['sliders']}")
    for k in range(len(expected)):                # press the first unpressed button of each toggle
        buttons = LiveFigureDriver(page, k).root.locator(".widget-toggle-button")
        pressed = [p for p, _ in page.evaluate(ACCESS, k)["pressed"]]
        if False in pressed:
            i = pressed.index(False)
            buttons.nth(i).click()
            now_pressed = (f"k => ({TOGGLES_SAY_PRESSED})(k) && __course.root(k)"
                           f".querySelectorAll('.widget-toggle-button')[{i}].getAttribute('aria-pressed') === 'true'")
            if not _settled(page, now_pressed, k):
                problems.append(f"live figure {k}: pressing toggle button {i} left aria-pressed at "
                                f"{page.evaluate(ACCESS, k)['pressed']}")
    return problems
