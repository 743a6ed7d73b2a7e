"""Screenshot a page in headless Chromium (Debian's), offline: ``python -m graph.view.screenshot``.

Regenerates the README's picture of the real graph::

    python build.py && python -m graph.view.screenshot

which opens ``out/graph.html`` with every request other than ``file:``
refused and writes ``docs/graph-view.png`` (reduced to 256 colours to keep
it small). Needs the test extras (Playwright) and ``apt-get install
chromium``; Playwright's own browser download is not used. The browser
tests launch Chromium the same way (:func:`launch`).
"""

from __future__ import annotations

import argparse
import io
import shutil
from pathlib import Path

__all__ = ["CHROMIUM_ARGS", "chromium_path", "launch", "screenshot", "main"]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """Debian's Chromium, if installed."""
    found = shutil.which("chromium")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def launch(playwright):
    """A headless Debian Chromium driven by Playwright."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("Chromium not found: apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def screenshot(page_path: Path, png: Path, width: int = 1400, height: int = 860, colours: int = 256) -> Path:
    """Open ``page_path`` offline, wait for its first frame, save a PNG (palette-reduced) to ``png``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                          else route.abort())
            page = context.new_page()
            page.goto(Path(page_path).resolve().as_uri())
            page.wait_for_selector("html[data-ready=true][data-timeline-ready=true]")
            image = page.screenshot()
        finally:
            browser.close()
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        png.write_bytes(image)
        return png
    Image.open(io.BytesIO(image)).convert("RGB").quantize(colours).save(png, optimize=True)
    return png


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=Path, default=Path("out/graph.html"), help="the page (default: out/graph.html)")
    parser.add_argument("--out", type=Path, default=Path("docs/graph-view.png"), help="the PNG to write")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=860)
    args = parser.parse_args(argv)
    if not args.page.exists():
        parser.exit(2, f"error: no page at {args.page}; run the build first: python build.py\n")
    path = screenshot(args.page, args.out, args.width, args.height)
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
