import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "helpers"))

from ingest_fixtures import empty_warehouse_file, ingest_settings  # noqa: E402,F401  (fixtures)
