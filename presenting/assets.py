"""Copy the parts of reveal.js, MathJax 2, require.js, jQuery and Font Awesome that the slides
use from presenting/node_modules (installed from the npm registry by `make slides-assets`) into a
``vendor`` folder, so that slides never load anything from a CDN.

Two places get a copy:
- the course's Voila template (``presenting/share/jupyter/voila/templates/course_reveal/static/
  vendor``), served by Voila itself for `make present`;
- ``build/slides/assets`` next to the static decks (scripts/build_slides.py), so that a deck
  opened from the file system finds them by a relative path.

Usage: ``python presenting/assets.py [DEST]`` (default: the Voila template's folder).
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

PRESENTING = Path(__file__).resolve().parent
NODE_MODULES = PRESENTING / "node_modules"
VOILA_VENDOR = PRESENTING / "share/jupyter/voila/templates/course_reveal/static/vendor"

# (package, paths inside it that the decks load); the versions are pinned in package.json.
FILES = {
    "reveal.js": ["dist/reveal.css", "dist/reveal.js", "dist/theme/white.css", "dist/theme/fonts",
                  "plugin/notes", "LICENSE"],
    "mathjax": ["MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions",
                "jax/input/TeX", "jax/output/CommonHTML", "jax/element", "localization/en",
                "fonts/HTML-CSS/TeX/woff", "LICENSE"],
    "requirejs": ["require.js"],
    "jquery": ["dist/jquery.min.js", "LICENSE.txt"],
    "@fortawesome/fontawesome-free": ["css/all.min.css", "css/v4-shims.min.css", "webfonts",
                                      "LICENSE.txt"],
}

# The URLs that the Voila template and nbconvert's SlidesExporter are given, relative to vendor/.
REVEAL = "reveal.js"
MATHJAX = "mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
REQUIRE = "requirejs/require.js"
JQUERY = "jquery/dist/jquery.min.js"


def missing_message() -> str:
    return ("the slide assets (reveal.js, MathJax) are not installed: run `make slides-assets` "
            "(it runs `npm ci` in presenting/, which needs the npm registry once)")


def check_versions() -> None:
    """Fail if node_modules does not hold the versions that package.json pins."""
    wanted = json.loads((PRESENTING / "package.json").read_text())["devDependencies"]
    for name, version in wanted.items():
        meta = NODE_MODULES / name / "package.json"
        if not meta.exists():
            raise SystemExit(missing_message())
        found = json.loads(meta.read_text())["version"]
        if found != version:
            raise SystemExit(f"{name} {found} is installed but package.json pins {version}: "
                             "run `make slides-assets`")


def install(dest: Path = VOILA_VENDOR) -> Path:
    """Copy the vendor files into ``dest`` (replacing what was there) and return it."""
    check_versions()
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for package, paths in FILES.items():
        for rel in paths:
            src, dst = NODE_MODULES / package / rel, tmp / package / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():     # not MathJax's a11y extensions: their speech rules load from a CDN
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns("a11y"))
            else:
                shutil.copy2(src, dst)
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    return dest


def is_installed(dest: Path = VOILA_VENDOR) -> bool:
    return all((dest / package / paths[0]).exists() for package, paths in FILES.items())


if __name__ == "__main__":
    target = install(Path(sys.argv[1]) if len(sys.argv) > 1 else VOILA_VENDOR)
    print(f"slide assets copied to {target}")
