"""Draw the installable app's PNG icons from volunteers/static/icons/icon.svg (run once, commit the PNGs).

    .venv/bin/python tools/make_icons.py

Pillow is not a dependency, so the SVG is rasterised by the Chromium the
browser tests use (/usr/bin/chromium, through Playwright): a page exactly the
icon's size, screenshotted. "maskable" icons are the same drawing with the
background filling the square and the glyph scaled to 80% around the centre,
inside the safe zone (the circle of 40% radius) that launchers never crop.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "volunteers" / "static" / "icons"
CHROMIUM = "/usr/bin/chromium"
#: file name → (size in pixels, maskable)
OUTPUTS = {"icon-192.png": (192, False), "icon-512.png": (512, False),
           "icon-maskable-192.png": (192, True), "icon-maskable-512.png": (512, True)}


def maskable(svg: str) -> str:
    """Return the drawing full-bleed (square background), its glyph scaled into the safe zone."""
    square = re.sub(r'(<rect width="512" height="512") rx="\d+"', r"\1", svg, count=1)
    return square.replace("<g ", '<g transform="translate(256 256) scale(0.8) translate(-256 -256)" ', 1)


def main() -> int:
    from playwright.sync_api import sync_playwright

    svg = (ICONS / "icon.svg").read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, (size, is_maskable) in OUTPUTS.items():
            page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
            drawing = maskable(svg) if is_maskable else svg
            drawing = drawing.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
            page.set_content(f"<!doctype html><html><body style='margin:0'>{drawing}</body></html>")
            page.screenshot(path=str(ICONS / name), omit_background=True, clip={"x": 0, "y": 0, "width": size,
                                                                                "height": size})
            page.close()
            print(ICONS / name)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
