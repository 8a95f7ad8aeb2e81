r"""The market model, fitted for all firm-events at once.

.. math::

    R_{it} = \alpha_i + \beta_i R_{mt} + \varepsilon_{it},\qquad
    \operatorname{Var}(\varepsilon_{it}) = \sigma^2_i

estimated by OLS on the estimation-window days where both the firm's and the market's returns
exist (MacKinlay 1997, JEL 35(1):13–39; Campbell, Lo & MacKinlay 1997, ch. 4):

.. math::

    \hat\beta_i = \frac{\sum_\tau (R_{i\tau}-\bar R_i)(R_{m\tau}-\bar R_m)}{\sum_\tau (R_{m\tau}-\bar R_m)^2},\quad
    \hat\alpha_i = \bar R_i - \hat\beta_i \bar R_m,\quad
    s_i^2 = \frac{1}{M_i-2}\sum_\tau \hat\varepsilon_{i\tau}^2 .

Abnormal returns on the event window are :math:`AR_{it} = R_{it} - \hat\alpha_i - \hat\beta_i R_{mt}`
and :math:`CAR_i = \sum_{t=\tau_1}^{\tau_2} AR_{it}` over :math:`L_2` days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MarketModelFit:
    """Per firm-event OLS estimates (arrays of length N)."""

    alpha: np.ndarray
    beta: np.ndarray
    sigma2: np.ndarray  # s_i^2 = SSR / (M_i - 2)
    n_obs: np.ndarray  # M_i: estimation days with both returns
    market_mean: np.ndarray  # \bar R_m over those days
    market_ss: np.ndarray  # \sum (R_m - \bar R_m)^2 over those days
    residuals: np.ndarray  # (N, L1), NaN where a return is missing


def fit_market_model(firm: np.ndarray, market: np.ndarray) -> MarketModelFit:
    """OLS of ``firm`` on ``market`` row by row, ignoring days where either is NaN.

    Parameters
    ----------
    firm, market
        ``(N, L1)`` arrays of estimation-window returns.
    """
    valid = np.isfinite(firm) & np.isfinite(market)
    n = valid.sum(axis=1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        x = np.where(valid, market, 0.0)
        y = np.where(valid, firm, 0.0)
        x_mean = x.sum(axis=1) / n
        y_mean = y.sum(axis=1) / n
        dx = np.where(valid, market - x_mean[:, None], 0.0)
        dy = np.where(valid, firm - y_mean[:, None], 0.0)
        sxx = (dx * dx).sum(axis=1)
        beta = (dx * dy).sum(axis=1) / sxx
        alpha = y_mean - beta * x_mean
        residuals = np.where(valid, firm - alpha[:, None] - beta[:, None] * market, np.nan)
        sigma2 = np.nansum(residuals * residuals, axis=1) / (n - 2)
    return MarketModelFit(alpha, beta, sigma2, n.astype(np.int64), x_mean, sxx, residuals)


def abnormal_returns(fit: MarketModelFit, firm: np.ndarray, market: np.ndarray) -> np.ndarray:
    """:math:`AR_{it} = R_{it} - \\hat\\alpha_i - \\hat\\beta_i R_{mt}` for ``(N, L2)`` window returns."""
    return firm - fit.alpha[:, None] - fit.beta[:, None] * market


def car_variance(fit: MarketModelFit, market_window: np.ndarray) -> np.ndarray:
    r"""Variance of :math:`CAR_i` including the estimation error of :math:`\hat\alpha_i, \hat\beta_i`.

    .. math::

        \hat\sigma^2_{CAR_i} = s_i^2\left[L_2 + \frac{L_2^2}{M_i}
            + \frac{\bigl(\sum_{t\in W}(R_{mt}-\bar R_m)\bigr)^2}{\sum_{\tau\in E}(R_{m\tau}-\bar R_m)^2}\right]

    which equals :math:`\gamma' V_i \gamma` with :math:`V_i = s_i^2 (I + X^*_i (X_i'X_i)^{-1} X^{*\prime}_i)`
    (MacKinlay 1997 §4; CLM 1997 eq. 4.4.12 ff.). The third term is the square of a sum.
    For :math:`L_2 = 1` it is the one-day forecast-error variance; as :math:`M_i \to \infty` it
    tends to :math:`L_2 \sigma^2_i`.
    """
    l2 = market_window.shape[1]
    deviation_sum = (market_window - fit.market_mean[:, None]).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return fit.sigma2 * (l2 + l2 * l2 / fit.n_obs + deviation_sum**2 / fit.market_ss)
