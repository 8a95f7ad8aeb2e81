"""The HTML report as a browser shows it: headless Chromium renders it, charts included.

Skipped where no Chromium is installed (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import pytest

from tracker.reports.screenshot import find_chromium, screenshot, shrink

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="needs headless Chromium (apt-get install chromium, or set CHROMIUM)")

BAR_NEGATIVE = (0xD5, 0x5E, 0x00)  # the bar chart's colour for CAR < 0, drawn only inside the embedded PNG


def test_chromium_renders_the_report_with_its_charts(rendered, tmp_path):
    from PIL import Image

    png = screenshot(rendered.html, tmp_path / "report.png", width=1280, height=2200)
    with Image.open(png) as image:
        image = image.convert("RGB")
    assert image.size == (1280, 2200)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200  # text, tables and charts, not a blank page
    counts = {rgb: n for n, rgb in colours}
    assert counts.get(BAR_NEGATIVE, 0) > 2000, "the bar chart (a data: URI image) was not drawn"

    small = shrink(png, 0.5)
    with Image.open(small) as image:
        assert image.size == (640, 1100)
