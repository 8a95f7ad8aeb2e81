"""A study written to files as it is computed: ``tracker study … --out FILE.parquet``.

Three files side by side, so a study of a million firm-events never becomes one JSON document:

* ``FILE.parquet``: one row per window and firm-event studied in it (the JSON's firm objects
  without their AR lists: ids, the model's estimates, CAR, its t's and p, SCAR, BHAR), written
  chunk by chunk as the chunks are done, in day-0 order;
* ``FILE.ar.parquet``: one row per firm-event and event-period day (return, benchmark, expected
  return, AR), also chunk by chunk;
* ``FILE.tests.parquet``: one row per window and test (statistic, p, distribution, valid under
  clustering; with groups, each group's tests and each difference's), as :attr:`StudyResult.test_table`;
* ``FILE.json``: the JSON document (schema version 2) with every ``firms`` list ``null`` and
  ``firms_file`` / ``ar_file`` / ``tests_file`` naming the Parquet files: the set-up, the skipped
  firm-events, AAR, CAAR and every test, per window.

Each path is checked by :func:`tracker.output_paths.check_output_path`: never the warehouse, its
write-ahead log, another DuckDB file, a folder or a device.
"""

from __future__ import annotations

from pathlib import Path

from tracker.analysis.partial import ChunkPart
from tracker.analysis.results import StudyResult
from tracker.output_paths import check_output_path


def output_paths(path: Path, *, protected: tuple[Path, ...] = ()) -> tuple[Path, Path, Path, Path]:
    """The firm rows, AR rows, tests and JSON files of ``--out path`` (which must end in ``.parquet``), checked."""
    path = check_output_path(path, (".parquet",), what="a study's firm rows", protect=protected)
    stem = path.with_suffix("")
    return (path,
            check_output_path(Path(f"{stem}.ar.parquet"), (".parquet",), what="a study's AR rows", protect=protected),
            check_output_path(Path(f"{stem}.tests.parquet"), (".parquet",), what="a study's tests", protect=protected),
            check_output_path(Path(f"{stem}.json"), (".json",), what="a study's aggregates", protect=protected))


class ParquetOutput:
    """Writes a study's firm-event rows and AR rows chunk by chunk (:meth:`write` is an ``on_chunk``
    hook), then the document of aggregates (:meth:`finish`). Use as a context manager: files of a
    study that failed are removed."""

    def __init__(self, path: Path, *, protected: tuple[Path, ...] = ()):
        self.firms_path, self.ar_path, self.tests_path, self.json_path = output_paths(path, protected=protected)
        self._writers: dict[Path, object] = {}
        self.rows = 0

    def __enter__(self) -> ParquetOutput:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.close()
        if kind is not None:
            for path in (self.firms_path, self.ar_path, self.tests_path, self.json_path):
                path.unlink(missing_ok=True)

    def write(self, part: ChunkPart) -> None:
        firms = part.firm_rows()
        self.rows += firms.height
        self._write(self.firms_path, firms)
        self._write(self.ar_path, part.ar_rows())

    def _write(self, path: Path, frame) -> None:
        import pyarrow.parquet as pq

        table = frame.to_arrow()
        writer = self._writers.get(path)
        if writer is None:
            writer = self._writers[path] = pq.ParquetWriter(path, table.schema, compression="zstd")
        writer.write_table(table.cast(writer.schema))

    def finish(self, result: StudyResult) -> None:
        """Close the Parquet files (empty ones when nothing was studied) and write the JSON document."""
        import orjson

        for path, frame in ((self.firms_path, result.firm_rows), (self.ar_path, result.ar)):
            if path not in self._writers:  # no chunk had a row: write the empty frame for its schema
                frame.write_parquet(path)
        self.close()
        result.test_table.write_parquet(self.tests_path)
        document = result.to_dict(firms=False)
        document["firms_file"] = self.firms_path.name
        document["ar_file"] = self.ar_path.name
        document["tests_file"] = self.tests_path.name
        self.json_path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
