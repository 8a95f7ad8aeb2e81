"""A PNG screenshot of an HTML report, taken with headless Chromium (a check, not a product feature).

Usage (Debian: ``apt-get install chromium``)::

    python -m tracker.reports.screenshot REPORT.html SHOT.png [--width 1280] [--height 2400] [--scale 0.6]

Chromium runs offline-minded (no first-run, sync, component updates or background networking)
with a fresh profile in a temporary folder, so it reads nothing of the user's. ``--scale``
shrinks the PNG afterwards with Pillow (a matplotlib dependency), for a small README image.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from events.errors import TrackerError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


class ChromiumMissing(RuntimeError):
    pass


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome binary: ``$CHROMIUM`` if set, else the first on ``PATH``."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(html: Path, png: Path, *, width: int = 1280, height: int = 2400, timeout: float = 90.0) -> Path:
    """Render ``html`` in headless Chromium at ``width`` × ``height`` CSS pixels and save ``png``."""
    binary = find_chromium()
    if binary is None:
        raise ChromiumMissing("no chromium found (install Debian's `chromium` package or set CHROMIUM=/path/to/chrome)")
    html, png = Path(html).resolve(), Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tracker-chromium-") as profile:
        command = [binary, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                   f"--screenshot={png}", html.as_uri()]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                   env={**os.environ, "HOME": profile})
    if completed.returncode != 0 or not png.is_file():
        raise RuntimeError(f"chromium failed ({completed.returncode}): {completed.stderr.strip()[-500:]}")
    return png


def shrink(png: Path, scale: float) -> Path:
    """Scale ``png`` in place by ``scale`` (e.g. 0.6) and re-encode it as an optimised palette PNG."""
    from PIL import Image

    with Image.open(png) as image:
        image.load()
    size = (round(image.width * scale), round(image.height * scale))
    small = image.convert("RGB").resize(size, Image.LANCZOS).quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tracker.reports.screenshot", description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2400)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    try:
        from tracker.output_paths import check_output_path

        args.png = check_output_path(args.png, (".png",), option="png", what="the screenshot")
        screenshot(args.html, args.png, width=args.width, height=args.height)
    except (ChromiumMissing, TrackerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.scale != 1.0:
        shrink(args.png, args.scale)
    print(f"{args.png} ({args.png.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
