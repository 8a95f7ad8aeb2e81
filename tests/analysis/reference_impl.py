"""An independent event study, written separately from ``tracker.analysis`` to check it.

Deliberately plain: one firm-event at a time in Python loops, the data read from plain frames
(``ticker, date, ret`` and ``date, <factor>...``, as the warehouse's ``returns`` and ``factors``
views give them; see ``Market.frames`` in ``conftest.py``), regressions with
statsmodels' OLS, the CAR variance with the matrix form :math:`\\gamma'V\\gamma` (the engine uses
a centred closed form), ranks with scipy, cross-correlations pair by pair on calendar dates,
the Wilcoxon p from scipy. Nothing here imports the engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import statsmodels.api as sm
from scipy import stats

FACTOR_SETS = {"ff3": ["mkt_rf", "smb", "hml"], "carhart": ["mkt_rf", "smb", "hml", "mom"]}


@dataclass
class Views:
    sessions: list
    returns: dict  # (ticker, date) -> ret
    factors: dict  # date -> {name: value}

    @classmethod
    def read(cls, market) -> Views:
        """The market's sessions, its returns by (ticker, date) and its factors by date, as plain dicts."""
        returns, factors = market.frames()
        rets = {(t, d): r for t, d, r in returns.iter_rows() if r is not None}
        by_date = {} if factors is None else {row.pop("date"): row for row in factors.iter_rows(named=True)}
        return cls(list(market.dates), rets, by_date)


@dataclass
class FirmResult:
    ticker: str
    day0: object
    params: np.ndarray
    sigma2: float
    df: int
    n_est: int
    est_resid: dict  # session index -> residual (AR on an estimation day)
    est_offsets: dict  # event-time offset -> residual
    ar: np.ndarray
    returns: np.ndarray
    car: float
    car_var: float
    car_t: float
    scar: float
    car_p: float
    bhar: float
    window_sessions: set = field(default_factory=set)
    window_y: np.ndarray | None = None  # the model's dependent variable on the window's days
    window_x: list = field(default_factory=list)  # the regressors (with the intercept's 1) on the window's days


def _row(views: Views, ticker: str, day, model: str, market: str):
    """``(R, y, x)`` for one day, or None when an input is missing."""
    r = views.returns.get((ticker, day))
    if r is None:
        return None
    if model in ("market", "market-adjusted"):
        m = views.returns.get((market, day))
        if m is None:
            return None
        return (r, r, [1.0, m]) if model == "market" else (r, r - m, [])
    if model == "mean-adjusted":
        return r, r, [1.0]
    f = views.factors.get(day)
    names = FACTOR_SETS[model]
    if f is None or any(f.get(n) is None for n in names + ["rf"]):
        return None
    return r, r - f["rf"], [1.0] + [f[n] for n in names]


def firm_event(views: Views, ticker, day0, model, market, estimation, window, min_obs, excluded=frozenset()):
    """One firm-event, or None if it cannot be studied (too few estimation days, incomplete window)."""
    z = views.sessions.index(day0)
    est_rows, est_index = [], []
    for offset in range(estimation[0], estimation[1] + 1):
        s = z + offset
        if s < 0 or s in excluded:
            continue
        row = _row(views, ticker, views.sessions[s], model, market)
        if row is not None:
            est_rows.append(row)
            est_index.append((s, offset))
    if len(est_rows) < min_obs:
        return None
    win_rows = []
    for offset in range(window[0], window[1] + 1):
        row = _row(views, ticker, views.sessions[z + offset], model, market)
        if row is None:
            return None
        win_rows.append(row)
    y = np.array([row[1] for row in est_rows])
    yw = np.array([row[1] for row in win_rows])
    rw = np.array([row[0] for row in win_rows])
    l2 = len(win_rows)
    if model == "market-adjusted":
        params = np.array([])
        resid = y
        sigma2 = float(np.var(y, ddof=1))
        df = len(y) - 1
        ar = yw
        car_var = sigma2 * l2
    else:
        x = np.array([row[2] for row in est_rows])
        xw = np.array([row[2] for row in win_rows])
        fit = sm.OLS(y, x).fit()
        params = fit.params
        resid = fit.resid
        sigma2 = fit.ssr / fit.df_resid
        df = int(round(fit.df_resid))
        ar = yw - xw @ params
        ones = np.ones(l2)
        car_var = sigma2 * (l2 + ones @ xw @ np.linalg.inv(x.T @ x) @ xw.T @ ones)
    car = float(ar.sum())
    scar = car / math.sqrt(car_var)
    return FirmResult(
        ticker=ticker, day0=day0, params=params, sigma2=sigma2, df=df, n_est=len(y),
        est_resid={s: e for (s, _), e in zip(est_index, resid)},
        est_offsets={o: e for (_, o), e in zip(est_index, resid)},
        ar=ar, returns=rw, car=car, car_var=car_var, car_t=car / math.sqrt(sigma2 * l2), scar=scar,
        car_p=2 * stats.t.sf(abs(scar), df),
        bhar=float(np.prod(1 + rw) - np.prod(1 + rw - ar)),
        window_sessions={z + o for o in range(window[0], window[1] + 1)},
        window_y=yw, window_x=[row[2] or [1.0] for row in win_rows],
    )


def _ranks_u(values, extra):
    """U = rank/(n+1) of the estimation values (dict offset -> value) and the extra values."""
    keys = sorted(values)
    combined = np.array([values[k] for k in keys] + list(extra))
    u = stats.rankdata(combined) / (len(combined) + 1)
    return dict(zip(keys, u[: len(keys)])), u[len(keys):]


def mean_cross_correlation(firms: list[FirmResult], l2: int) -> float:
    """Pair by pair: correlation on common calendar sessions times the share of common window sessions."""
    units = []
    for f in firms:
        e = np.array(list(f.est_resid.values()))
        e = e - e.mean()
        norm = math.sqrt(float(e @ e))
        units.append(dict(zip(f.est_resid.keys(), e / norm)))
    total, n = 0.0, len(firms)
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            shared = len(firms[i].window_sessions & firms[j].window_sessions)
            if not shared:
                continue
            rho = sum(units[i][s] * units[j][s] for s in units[i].keys() & units[j].keys())
            total += rho * shared / l2
    return total / (n * (n - 1))


def portfolio(views, firms: list[FirmResult], model, market, estimation, window, excluded=frozenset()):
    """Equal-weighted portfolio of the firms as one security: its CAR t (all firms share day 0)."""
    z = views.sessions.index(firms[0].day0)
    rows_est, rows_win = [], []
    for offsets, rows in ((range(estimation[0], estimation[1] + 1), rows_est), (range(window[0], window[1] + 1), rows_win)):
        for offset in offsets:
            s = z + offset
            if rows is rows_est and s in excluded:
                continue
            day = views.sessions[s]
            found = [_row(views, f.ticker, day, model, market) for f in firms]
            found = [r for r in found if r is not None]
            if found:
                rows.append((np.mean([r[1] for r in found]), found[0][2]))
    y = np.array([r[0] for r in rows_est])
    yw = np.array([r[0] for r in rows_win])
    l2 = len(rows_win)
    if model == "market-adjusted":
        sigma2, df, ar, var = float(np.var(y, ddof=1)), len(y) - 1, yw, None
        var = sigma2 * l2
    else:
        x = np.array([r[1] for r in rows_est])
        xw = np.array([r[1] for r in rows_win])
        fit = sm.OLS(y, x).fit()
        sigma2, df = fit.ssr / fit.df_resid, int(round(fit.df_resid))
        ar = yw - xw @ fit.params
        ones = np.ones(l2)
        var = sigma2 * (l2 + ones @ xw @ np.linalg.inv(x.T @ x) @ xw.T @ ones)
    t = ar.sum() / math.sqrt(var)
    return t, 2 * stats.t.sf(abs(t), df)


def calendar_time(views, firms: list[FirmResult], model, window):
    """Calendar-time portfolio: per session, the mean dependent variable (ARs for mean-adjusted) of the
    firm-events whose window covers it, regressed by statsmodels on [1, regressors]; its alpha's t, or
    None under k + 2 sessions."""
    held = {}
    for f in firms:
        z = views.sessions.index(f.day0)
        for j, offset in enumerate(range(window[0], window[1] + 1)):
            value = f.ar[j] if model == "mean-adjusted" else f.window_y[j]
            held.setdefault(z + offset, []).append((value, f.window_x[j]))
    sessions = sorted(held)
    y = np.array([np.mean([v for v, _ in held[s]]) for s in sessions])
    x = np.array([held[s][0][1] for s in sessions])
    if len(sessions) < x.shape[1] + 2:
        return None
    fit = sm.OLS(y, x).fit()
    return float(fit.tvalues[0]), float(fit.pvalues[0])


def study(source, firm_events, *, model="market", market="MKT", estimation=(-250, -11), window=(-1, 1), min_obs=10,
          exclude=(), within=1):
    """Every per-firm number and every test, for ``firm_events`` = ``[(ticker, day0, event_id)]``.

    ``exclude`` lists ``(event_id, day0[, tickers])`` of events whose ±``within`` sessions leave the
    estimation windows of every firm, or, when the event names ``tickers``, of those firms only.
    """
    views = Views.read(source)
    firms, studied_events = [], []
    for ticker, day0, event_id in firm_events:
        excluded = set()
        for other in exclude:
            other_id, other_day = other[:2]
            if len(other) > 2 and ticker not in other[2]:
                continue
            if other_id != event_id:
                c = views.sessions.index(other_day)
                excluded.update(range(c - within, c + within + 1))
        result = firm_event(views, ticker, day0, model, market, estimation, window, min_obs, frozenset(excluded))
        if result is not None:
            firms.append(result)
            studied_events.append(excluded)
    n, l2 = len(firms), window[1] - window[0] + 1
    car = np.array([f.car for f in firms])
    scar = np.array([f.scar for f in firms])
    bhar = np.array([f.bhar for f in firms])
    ars = np.array([f.ar for f in firms])
    tests = {}
    tests["cross_sectional_t"] = tuple(stats.ttest_1samp(car, 0.0))
    # CDA: the event-time AAR over the estimation days
    offsets = sorted({o for f in firms for o in f.est_offsets})
    aar_est = np.array([np.mean([f.est_offsets[o] for f in firms if o in f.est_offsets]) for o in offsets])
    caar = float(ars.mean(axis=0).sum())
    cda = caar / (math.sqrt(l2) * np.std(aar_est, ddof=1))
    tests["cda_t"] = (cda, 2 * stats.t.sf(abs(cda), len(offsets) - 1))
    dfs = np.array([f.df for f in firms], dtype=float)
    patell = scar.sum() / math.sqrt(np.sum(dfs / (dfs - 2)))
    tests["patell_z"] = (patell, 2 * stats.norm.sf(abs(patell)))
    tests["bmp_t"] = tuple(stats.ttest_1samp(scar, 0.0))
    r_bar = mean_cross_correlation(firms, l2)
    kp_bmp = tests["bmp_t"][0] * math.sqrt((1 - r_bar) / (1 + (n - 1) * r_bar))
    kp_patell = patell / math.sqrt(1 + (n - 1) * r_bar)
    tests["kp_bmp_t"] = (kp_bmp, 2 * stats.t.sf(abs(kp_bmp), n - 1))
    tests["kp_patell_z"] = (kp_patell, 2 * stats.norm.sf(abs(kp_patell)))
    # Corrado and window rank tests
    u_est, u_win = {}, []
    for f in firms:
        u, w = _ranks_u(f.est_offsets, f.ar)
        for o, value in u.items():
            u_est.setdefault(o, []).append(value)
        u_win.append(w)
    u_win = np.array(u_win)
    means = [(len(v), np.mean(v)) for v in u_est.values()] + [(n, m) for m in u_win.mean(axis=0)]
    s_u = math.sqrt(sum(k / n * (m - 0.5) ** 2 for k, m in means) / len(means))
    window_offsets = list(range(window[0], window[1] + 1))
    if 0 in window_offsets:
        corrado = (u_win.mean(axis=0)[window_offsets.index(0)] - 0.5) / s_u
        tests["corrado_rank_z"] = (corrado, 2 * stats.norm.sf(abs(corrado)))
    rank = math.sqrt(l2) * (u_win.mean() - 0.5) / s_u
    tests["rank_z"] = (rank, 2 * stats.norm.sf(abs(rank)))
    # GRANK
    scar_star = scar / np.std(scar, ddof=1)
    g_est, g_event = {}, []
    for f, extra in zip(firms, scar_star):
        sar = {o: e / math.sqrt(f.sigma2) for o, e in f.est_offsets.items()}
        keys = sorted(sar)
        combined = np.array([sar[k] for k in keys] + [extra])
        u = stats.rankdata(combined) / (len(combined) + 1) - 0.5
        for k, value in zip(keys, u[:-1]):
            g_est.setdefault(k, []).append(value)
        g_event.append(u[-1])
    points = [(len(v), np.mean(v)) for v in g_est.values()] + [(n, np.mean(g_event))]
    big_t = len(points)
    s = math.sqrt(sum(k / n * m**2 for k, m in points) / big_t)
    z = np.mean(g_event) / s
    grank = z * math.sqrt((big_t - 2) / (big_t - 1 - z * z))
    tests["grank_t"] = (grank, 2 * stats.t.sf(abs(grank), big_t - 2))
    # signs
    p_hat = np.mean([np.mean(np.array(list(f.est_resid.values())) > 0) for f in firms])
    w = int((car > 0).sum())
    gs = (w - n * p_hat) / math.sqrt(n * p_hat * (1 - p_hat))
    # exact binomial p-values up to 50 firm-events (scipy's binomtest), else the normal approximation
    tests["generalized_sign_z"] = (gs, stats.binomtest(int(w), n, p_hat).pvalue if n <= 50 else 2 * stats.norm.sf(abs(gs)))
    sign = (w - n / 2) / math.sqrt(n / 4)
    tests["sign_z"] = (sign, stats.binomtest(int(w), n, 0.5).pvalue if n <= 50 else 2 * stats.norm.sf(abs(sign)))
    ranks = stats.rankdata(np.abs(car))
    w_plus = ranks[car > 0].sum()
    z_w = (w_plus - n * (n + 1) / 4) / math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
    p_w = stats.wilcoxon(car, method="exact" if n <= 50 else "approx").pvalue
    tests["wilcoxon"] = (z_w, p_w)
    # skewness-adjusted t on BHARs
    sd = np.std(bhar, ddof=1)
    s_ratio = bhar.mean() / sd
    gamma = np.sum((bhar - bhar.mean()) ** 3) / (n * sd**3)
    t_sa = math.sqrt(n) * (s_ratio + gamma * s_ratio**2 / 3 + gamma / (6 * n))
    tests["skew_adjusted_t"] = (t_sa, 2 * stats.t.sf(abs(t_sa), n - 1))
    if len({f.day0 for f in firms}) == 1:
        tests["portfolio_t"] = portfolio(views, firms, model, market, estimation, window, frozenset(studied_events[0]))
    calendar = calendar_time(views, firms, model, window)
    if calendar is not None:
        tests["calendar_time_t"] = calendar
    return {
        "firms": firms,
        "aar": ars.mean(axis=0),
        "caar": caar,
        "abhar": float(bhar.mean()),
        "r_bar": r_bar,
        "tests": tests,
    }
