"""Present one lesson as live slides with the code hidden: Voila's reveal template, sliders live,
reveal.js and MathJax served by Voila itself (nothing from a CDN), on 127.0.0.1 behind a token.

Usage: python presenting/present.py 04            (lesson number, file name or path)
       python presenting/present.py notebooks/*.ipynb   (several: lesson 04 if among them)
`make present NB=04` runs this after installing the course and the slide assets.
"""
from __future__ import annotations

import os
import secrets
import socket
import sys
from pathlib import Path

PRESENTING = Path(__file__).resolve().parent
ROOT = PRESENTING.parent
TEMPLATES = PRESENTING / "share" / "jupyter"
BIN = Path(sys.executable).parent


def voila_argv(notebook: Path, port: int, token: str, open_browser: bool = False) -> list[str]:
    """The Voila command line for the course's offline reveal template. The template hides the
    code of every cell but those tagged `show-code`, so Voila itself must not strip the sources."""
    return [str(BIN / "voila"), str(notebook), "--template=course_reveal", "--strip_sources=False",
            f"--Voila.open_browser={open_browser}", "--Voila.ip=127.0.0.1", f"--Voila.port={port}",
            "--Voila.port_retries=0", f"--Voila.token={token}", "--Voila.log_level=WARN"]


def voila_env(base: dict | None = None) -> dict:
    """Environment in which Voila finds the course's template (JUPYTER_PATH, searched first) and
    the lesson's kernel draws deck figures (COURSE_DECK=1, helpers.deck)."""
    env = dict(os.environ if base is None else base)
    env["COURSE_DECK"] = "1"
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(TEMPLATES), env.get("JUPYTER_PATH")) if p)
    return env


def find_notebook(args: list[str]) -> Path:
    """The lesson to present: one argument ("04", "04_gradients.ipynb", a path), or lesson 04
    (else the first) among several."""
    if not args:
        raise SystemExit("say which lesson to present, e.g. `make present NB=04`")
    if len(args) > 1:
        paths = [Path(a) for a in args]
        chosen = next((p for p in paths if p.name.startswith("04")), paths[0])
        print(f"presenting {chosen} (pick another with `make present NB=02`)")
        return chosen.resolve()
    arg = args[0]
    path = Path(arg)
    if path.is_file():
        return path.resolve()
    matches = sorted((ROOT / "notebooks").glob(f"{arg}*.ipynb")) or \
        sorted((ROOT / "notebooks").glob(f"*{arg}*.ipynb"))
    if len(matches) != 1:
        names = ", ".join(p.name for p in sorted((ROOT / "notebooks").glob("*.ipynb")))
        raise SystemExit(f"NB={arg!r} matches {len(matches)} notebooks; pick one of: {names}")
    return matches[0]


def free_port(preferred: int = 8866) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SystemExit("no free port on 127.0.0.1")


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(PRESENTING))
    import assets
    if not assets.is_installed():
        raise SystemExit(assets.missing_message())
    notebook = find_notebook(argv)
    port, token = free_port(), secrets.token_urlsafe(24)
    print(f"\n  {notebook.name} as slides: http://127.0.0.1:{port}/?token={token}\n"
          "  (open this link; arrow keys move between slides; Ctrl+C here stops the server)\n",
          flush=True)
    argv = voila_argv(notebook, port, token)
    os.execve(argv[0], argv, voila_env())


if __name__ == "__main__":
    main(sys.argv[1:])
