"""After every command the projections' checkpoints equal the log head (the run's last fact included),
so reads at the head use the projected tables instead of replaying the log."""

from __future__ import annotations

from tracker.ingest.files import import_prices
from tracker.storage import open_reader
from warehouse.queries import prices_relation, returns_relation


def test_checkpoints_follow_the_run_facts(settings, tmp_path):
    prices = tmp_path / "AAA.csv"
    prices.write_text("date,open,high,low,close,volume\n2025-01-21,1,1,1,1,1\n2025-01-22,2,2,2,2,1\n")
    import_prices(settings, [prices])
    with open_reader(settings) as warehouse:
        head = warehouse.head()
        checkpoints = warehouse.con.execute("SELECT DISTINCT last_seq FROM projection_checkpoints").fetchall()
        assert checkpoints == [(head,)]
        assert warehouse.con.execute("SELECT kind FROM facts WHERE seq = ?", [head]).fetchall() == [("RunFinished",)]
        assert prices_relation(warehouse.con, head) == "prices" and returns_relation(warehouse.con, head) == "returns"
        assert returns_relation(warehouse.con, head - 3) == f"returns_as_of({head - 3})"
