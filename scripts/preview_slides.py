"""Page through the static decks as a room would see them: a PNG of every slide, with all its
fragments shown, into build/slides-preview/<deck>/NN.png, and a table of what the decks hold.

Needs the decks (`make slides`) and Chromium (Debian's `chromium`, or $CHROMIUM).
Usage: python scripts/preview_slides.py [--decks DIR] [--out DIR] [DECK.slides.html ...]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "presenting"))
import deck_pages  # noqa: E402


def preview(decks: list[Path], out: Path) -> list[dict]:
    """Write the PNGs; return one row per deck: slides, with a printout, figures."""
    from playwright.sync_api import sync_playwright
    chromium = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    if not chromium.is_file():
        raise SystemExit(f"no Chromium at {chromium}: apt-get install -y chromium, or set $CHROMIUM")
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        for deck in decks:
            folder = out / deck.name.removesuffix(".slides.html")
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            slides = deck_pages.open_deck(page, deck.resolve().as_uri())
            printed = figures = 0
            for n, (h, v) in enumerate(slides, 1):
                deck_pages.show(page, h, v)
                seen = deck_pages.measure(page)
                printed += bool(seen["printouts"])
                figures += len(seen["figures"])
                page.screenshot(path=str(folder / f"{n:02d}.png"))
            rows.append({"deck": deck.name, "slides": len(slides), "printout": printed, "figures": figures})
        browser.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deck", nargs="*", type=Path, help="default: every deck in --decks")
    parser.add_argument("--decks", type=Path, default=ROOT / "build" / "slides")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "slides-preview")
    args = parser.parse_args(argv)
    decks = args.deck or sorted(args.decks.glob("*.slides.html"))
    if not decks:
        parser.error(f"no decks in {args.decks}: run `make slides` first")
    rows = preview(decks, args.out)
    print(f"{'deck':40s} {'slides':>6s} {'with a printout':>16s} {'figures':>8s}")
    for r in rows:
        share = r["printout"] / r["slides"]
        print(f"{r['deck']:40s} {r['slides']:6d} {r['printout']:9d} ({share:4.0%}) {r['figures']:8d}")
    total, printed = sum(r["slides"] for r in rows), sum(r["printout"] for r in rows)
    print(f"{'all':40s} {total:6d} {printed:9d} ({printed / max(total, 1):4.0%})")
    print(f"PNGs in {args.out.relative_to(ROOT) if ROOT in args.out.resolve().parents else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
