"""``import tracker`` is the library's front door: every name it lists resolves, lazily, and its example runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import CATALOGUE, SAMPLE_PRICES


def test_every_public_name_resolves_and_importing_the_package_loads_no_stage():
    code = (
        "import sys, tracker\n"
        "assert not any(m.startswith(('tracker.analysis', 'tracker.ingest', 'duckdb', 'polars')) for m in sys.modules), sorted(sys.modules)\n"
        "for name in tracker.__all__: getattr(tracker, name)\n"
        "print(len(tracker.__all__))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 20


def test_the_package_docstring_example_runs(tmp_path, monkeypatch):
    import tracker

    monkeypatch.chdir(tmp_path)
    Path("ai_events.csv").write_bytes(CATALOGUE.read_bytes())
    Path("prices").mkdir()
    Path("prices/sample.csv").write_bytes(SAMPLE_PRICES.read_bytes())
    example = tracker.__doc__.split("::\n\n", 1)[1].split("\n\nStages:", 1)[0]  # the indented code block
    exec(compile("\n".join(line[4:] for line in example.splitlines()), "tracker.__doc__", "exec"), {})
    assert Path("r1.html").stat().st_size > 10_000
