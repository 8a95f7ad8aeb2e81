"""Daily factor returns in the log: how ``FactorReturnsObserved`` facts become the ``factors`` view.

A factor file (Fama–French market, size, value, risk-free rate, momentum) becomes one JSON
fact per trading date. The fact's stream is ``factors/<names>/<date>``, where ``<names>`` is
the set of factors the file carries (``mkt_rf+smb+hml+rf`` for the three-factor file, ``mom``
for the momentum file), so importing the same file again adds nothing and a restated value
(Ken French recomputes history at every update) is recorded as the stream's next revision.

Content holds every factor of the set as a *decimal* daily return (0.0123 for 1.23 %), with
``null`` for a day the file marks as missing. The ``factors`` view takes, for each date and
factor, the value of the latest fact that carries that factor: a missing value stays missing,
it never becomes zero and never falls back to an older vintage.
"""

from __future__ import annotations

from warehouse.vocabulary import FACTOR_NAMES, FactorReturnsObserved, kind_sql, path


def _latest(name: str) -> str:
    return (
        f"arg_max_null(TRY_CAST({path(FactorReturnsObserved, name)} AS DOUBLE), seq) "
        f"FILTER (WHERE json_exists(content, '$.{name}')) AS {name}"
    )


#: Latest value per date and factor among the factor facts with ``seq <= n`` (a macro body).
LATEST_FACTORS = f"""
SELECT CAST({path(FactorReturnsObserved, "date")} AS DATE) AS date,
       {", ".join(_latest(name) for name in FACTOR_NAMES)},
       max(seq) AS seq
FROM fact_log
WHERE kind = {kind_sql(FactorReturnsObserved)} AND seq <= n
GROUP BY ALL
"""
