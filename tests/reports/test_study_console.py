"""``tracker study`` on a terminal: coloured signs and aligned decimals; plain text when piped."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys

import pytest

ANSI = re.compile(r"\x1b\[[0-9;]*m")
R1 = "2025-01-20-deepseek-r1"
TICKERS = "NVDA,AVGO,AAPL,MSFT,META"


def firm_rows(text: str, tickers: str) -> list[str]:
    return [line for line in text.splitlines() if line.split() and line.split()[0] in tickers.split(",")]


def study_args(settings) -> list[str]:
    return ["study", R1, "--db", str(settings.db), "--tickers", TICKERS, "--window", "0,4"]


def test_piped_output_is_plain_with_aligned_decimals(report_settings):
    completed = subprocess.run(
        [sys.executable, "-m", "tracker", *study_args(report_settings)],
        capture_output=True, text=True, env={**os.environ, "TERM": "xterm-256color"}, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "\x1b" not in completed.stdout
    rows = firm_rows(completed.stdout, TICKERS)
    assert len(rows) == 5
    # each numeric column is right-aligned with fixed decimals, so the decimal points line up
    points = [[m.start() + m.group().index(".") for m in re.finditer(r"[<+-]?\d+\.\d+%?", row)] for row in rows]
    assert len(points[0]) == 11  # β, σ, Return, AR(0..+4), CAR, t, p
    assert all(p == points[0] for p in points), points


def test_terminal_output_colours_signs(report_settings):
    """Run the CLI on a real pseudo-terminal: negative numbers red, positive green."""
    primary, replica = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "180"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, "-m", "tracker", *study_args(report_settings)],
                               stdout=replica, stderr=subprocess.PIPE, env=env)
    os.close(replica)
    chunks = []
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:  # the replica side closed
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=120)
    os.close(primary)
    assert process.returncode == 0, process.stderr.read()
    text = b"".join(chunks).decode("utf-8", "replace")
    assert "\x1b[" in text
    json_study = subprocess.run([sys.executable, "-m", "tracker", *study_args(report_settings), "--format", "json"],
                                capture_output=True, text=True, timeout=120)
    firms = {f["ticker"]: f for f in json.loads(json_study.stdout)["firms"]}
    for ticker, firm in firms.items():
        car = f"{firm['car'] * 100:+.2f}%"
        colour = "31" if firm["car"] < 0 else "32"
        assert re.search(rf"\x1b\[{colour}m *{re.escape(car)}\x1b\[0m", text), (ticker, car)
    assert ANSI.sub("", text).count("%") > 40


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_machine_formats_never_carry_colour(cli, report_settings, fmt):
    result = cli(*study_args(report_settings), "--format", fmt)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
