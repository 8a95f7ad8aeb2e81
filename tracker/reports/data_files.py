"""A study as data files: CSV of the firm-events (``tracker study --format csv``).

The JSON document is the result's own (:meth:`tracker.analysis.StudyResult.to_json`). Both are
data, written from the result's arrays with every digit (``repr``); the documents people read
(text, Markdown, HTML) go through the view (:mod:`tracker.reports.view`).
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np

from tracker.analysis import StudyResult
from tracker.analysis.results import event_name
from tracker.analysis.formatting import offset_label, window_label


def _firm_rows(result: StudyResult) -> tuple[list[str], list[list[str]]]:
    """One row per window and studied firm-event; AR columns span every window's days.

    Numbers are converted a column at a time (numpy to Python floats, then ``repr``), not value
    by value from numpy scalars: ten times faster for a study of thousands of firm-events.
    """
    offsets = list(range(result.period[0], result.period[1] + 1))
    own = result.market if result.own_benchmarks else None  # then a `market` column: each row's benchmark
    header = ["ticker", "event_id", "event_name", "event_date", "day0", *(["market"] if own else []),
              "alpha", "beta", "sigma", "n_est", "window_return"]
    header += [f"ar_{offset_label(o)}" for o in offsets]
    header += ["car", "car_t", "car_t_clm", "car_p", "scar", "bhar", "window"]
    grouped = bool(result.group_names)
    if grouped:
        header.append("group")
    rows = []
    for w in result.by_window:
        shift = w.window[0] - result.period[0]
        before, after = [""] * shift, [""] * (len(offsets) - shift - len(w.offsets))
        picked = w.rows
        alpha, beta, sigma = (_raw_column(a[picked]) for a in (result.alpha, result.beta, result.sigma))
        n_est = [str(n) for n in result.n_est[picked].tolist()]
        ar = _raw_column(w.ar)
        window_return, car, car_t, car_t_clm, car_p, bhar = (
            _raw_column(c) for c in (w.window_return, w.car, w.car_t, w.car_t_clm, w.car_p, w.bhar))
        label = window_label(w.window)
        for j, i in enumerate(picked.tolist()):
            fe = result.firm_events[i]
            row = [fe.ticker, fe.event_id or "", event_name(fe.event_id, result.event_names) or "", fe.event_date.isoformat(), fe.day0.isoformat(),
                   *([fe.market or own] if own else []), alpha[j], beta[j], sigma[j], n_est[j], window_return[j]]
            row += before + ar[j] + after
            row += [car[j], car_t[j], car_t_clm[j], car_p[j], car_t_clm[j], bhar[j], label]  # scar is car_t_clm
            if grouped:
                row.append(fe.group or "")
            rows.append(row)
    return header, rows


def _raw_column(values: np.ndarray) -> list:
    """``repr`` of each value of a 1-D (or of each row of a 2-D) array; empty for NaN and infinities."""
    finite = math.isfinite
    if values.ndim == 2:
        return [[repr(v) if finite(v) else "" for v in row] for row in values.astype(float).tolist()]
    return [repr(v) if finite(v) else "" for v in values.astype(float).tolist()]


def to_csv(result: StudyResult) -> str:
    """One row per window and studied firm-event (see :func:`_firm_rows`)."""
    header, rows = _firm_rows(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
