"""Studies beyond one process: the warehouse exported as partitioned Parquet
(:mod:`~tracker.scale.export`), study data read from such an export
(:mod:`~tracker.scale.parquet_data`), and chunks computed on a Dask cluster
(:mod:`~tracker.scale.dask_runner`). See ``docs/scale-out.md``."""
